package io.ibllm.media.audio;

import io.ibllm.io.FormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens an audio file by its content (not its name): WAV natively (memory-mapped, pure Java);
 * anything else (MP3, FLAC, Ogg, M4A, ...) through FFmpeg.
 */
public final class AudioFiles {
    private AudioFiles() {}

    public static Pcm open(Path path) {
        byte[] head = head(path);
        String magic = ascii(head, 0, 4);
        if (magic.equals("RIFF") || magic.equals("RIFX") || magic.equals("RF64")) {
            try {
                return WavFile.open(path);
            } catch (WavFile.OtherCodec e) {
                return FfmpegAudio.decode(path); // mu-law, A-law, ADPCM, ... inside a WAV
            }
        }
        if (head.length == 0) throw new FormatException(path, "empty file");
        return FfmpegAudio.decode(path);
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
