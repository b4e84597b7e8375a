package io.ibllm.media.audio;

import io.ibllm.io.FormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens an audio file by its content (not its name): WAV natively; other containers are named and refused. */
public final class AudioFiles {
    private AudioFiles() {}

    public static Pcm open(Path path) {
        byte[] head = head(path);
        String magic = ascii(head, 0, 4);
        if (magic.equals("RIFF") || magic.equals("RIFX") || magic.equals("RF64")) return WavFile.open(path);
        String other = containerName(head);
        if (other != null) {
            throw new FormatException(path, "unsupported audio format " + other + ": convert to WAV (e.g. ffmpeg -i in out.wav)");
        }
        throw new FormatException(path, head.length == 0 ? "empty file" : "not a recognised audio file (WAV expected)");
    }

    private static String containerName(byte[] h) {
        if (ascii(h, 0, 4).equals("fLaC")) return "FLAC";
        if (ascii(h, 0, 4).equals("OggS")) return "OGG";
        if (ascii(h, 4, 4).equals("ftyp")) return "M4A/MP4";
        if (ascii(h, 0, 3).equals("ID3") || (h.length > 1 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xE0) == 0xE0)) return "MP3";
        if (ascii(h, 0, 4).equals("FORM")) return "AIFF";
        if (h.length >= 4 && (h[0] & 0xFF) == 0x1A && (h[1] & 0xFF) == 0x45 && (h[2] & 0xFF) == 0xDF && (h[3] & 0xFF) == 0xA3) return "WebM/Matroska";
        return null;
    }

    private static String ascii(byte[] b, int off, int len) {
        return b.length < off + len ? "" : new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    private static byte[] head(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(12);
        } catch (NoSuchFileException e) {
            throw new FormatException(path, "no such file");
        } catch (IOException e) {
            throw new FormatException(path, "cannot read: " + e.getMessage());
        }
    }
}
