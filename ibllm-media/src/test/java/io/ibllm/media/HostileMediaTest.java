package io.ibllm.media;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.FormatException;
import io.ibllm.media.audio.WavBuilder;
import io.ibllm.media.points.NpyFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of broken and hostile files: each must fail with one line naming the file and the
 * problem, quickly, without allocating what a forged size field asks for.
 */
class HostileMediaTest {
    @TempDir Path dir;

    private void rejects(String name, byte[] content, Function<Path, ?> loader, String expected) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        FormatException e = assertThrows(FormatException.class, () -> loader.apply(f), name);
        String msg = e.getMessage();
        assertTrue(msg.contains(name), name + ": message does not name the file: " + msg);
        assertTrue(msg.toLowerCase().contains(expected.toLowerCase()), name + ": expected '" + expected + "' in: " + msg);
        assertTrue(msg.lines().count() == 1, name + ": not one line: " + msg);
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void brokenWavFiles() throws IOException {
        Function<Path, ?> audio = MediaTensors::audio;
        short[] second = new short[16000];
        rejects("empty.wav", new byte[0], audio, "empty file");
        rejects("stub.wav", ascii("RIFF\0\0\0\0"), audio, "not a WAV");
        rejects("truncated.wav", new WavBuilder().fmt(1, 1, 16000, 16).chunk("data", 1_000_000_000, WavBuilder.pcm16(second)).bytes(), audio, "truncated");
        rejects("hugefmt.wav", new WavBuilder().chunk("fmt ", 0xFFFFFFF0, new byte[16]).bytes(), audio, "truncated");
        rejects("nochannels.wav", new WavBuilder().fmt(1, 0, 16000, 16, 2).data(new byte[64]).bytes(), audio, "channels");
        rejects("norate.wav", new WavBuilder().fmt(1, 1, 0, 16).data(new byte[64]).bytes(), audio, "sample rate");
        rejects("bits12.wav", new WavBuilder().fmt(1, 1, 16000, 12, 2).data(new byte[64]).bytes(), audio, "sample size");
        rejects("mp3inwav.wav", new WavBuilder().fmt(0x55, 1, 16000, 16).data(new byte[64]).bytes(), audio, "corrupt audio data");
        rejects("weirdcodec.wav", new WavBuilder().fmt(0x1234, 1, 16000, 16).data(new byte[64]).bytes(), audio, "unsupported audio codec");
        rejects("align.wav", new WavBuilder().fmt(1, 2, 16000, 16, 3).data(new byte[64]).bytes(), audio, "block align");
        rejects("datafirst.wav", new WavBuilder().data(new byte[64]).fmt(1, 1, 16000, 16).bytes(), audio, "before its fmt");
        rejects("nodata.wav", new WavBuilder().fmt(1, 1, 16000, 16).bytes(), audio, "no data chunk");
        rejects("nosamples.wav", new WavBuilder().fmt(1, 2, 16000, 16).data(new byte[2]).bytes(), audio, "no audio samples");
        rejects("short.wav", new WavBuilder().fmt(1, 1, 16000, 16).data(WavBuilder.pcm16(new short[300])).bytes(), audio, "too short");
        rejects("short44k.wav", new WavBuilder().fmt(1, 1, 44100, 16).data(WavBuilder.pcm16(new short[1000])).bytes(), audio, "too short");
        float[] nan = new float[8000];
        nan[4000] = Float.NaN;
        rejects("nan.wav", new WavBuilder().fmt(3, 1, 16000, 32).data(WavBuilder.float32(nan)).bytes(), audio, "NaN");
        rejects("rifx.wav", ascii("RIFX\0\0\0\u0010WAVE"), audio, "RIFX");
        // not WAV: FFmpeg gets them, and its failures come back as one line too
        rejects("song.mp3", concat(ascii("ID3\u0004"), new byte[64]), audio, "not a recognised audio file");
        rejects("song.flac", concat(ascii("fLaC"), new byte[64]), audio, "not a recognised audio file");
        rejects("song.ogg", concat(ascii("OggS"), new byte[64]), audio, "not a recognised audio file");
        rejects("song.m4a", concat(ascii("\0\0\0\u0020ftypM4A "), new byte[64]), audio, "not a recognised audio file");
        rejects("noise.wav", ascii("hello world, not audio"), audio, "not a recognised audio file");
        rejects("image.png", concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, new byte[64]), audio, "no audio stream");
        assertThrows(FormatException.class, () -> MediaTensors.audio(dir.resolve("missing.wav")));
    }

    /** Damaged compressed audio either decodes (what is left of it) or fails with a FormatException. */
    @Test
    void damagedCompressedAudioNeverCrashes() throws Exception {
        for (String name : new String[] {"tone.mp3", "tone.flac", "tone.ogg", "tone.m4a"}) {
            byte[] good = Files.readAllBytes(Path.of(getClass().getResource("/audio/" + name).toURI()));
            byte[] cut = java.util.Arrays.copyOf(good, good.length / 2);
            byte[] noisy = good.clone();
            java.util.Random r = new java.util.Random(name.hashCode());
            for (int i = 0; i < 200; i++) noisy[good.length / 4 + r.nextInt(good.length / 2)] ^= (byte) (1 + r.nextInt(255));
            for (byte[] bad : new byte[][] {cut, noisy}) {
                Path f = dir.resolve("bad-" + name);
                Files.write(f, bad);
                try {
                    MediaTensors.audio(f);
                } catch (FormatException e) {
                    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().lines().count() == 1, e.getMessage());
                }
            }
        }
    }

    @Test
    void brokenPointClouds() throws IOException {
        Function<Path, ?> points = MediaTensors::points;
        rejects("huge.ply", ascii("ply\nformat binary_little_endian 1.0\nelement vertex 2000000000\nproperty float x\nproperty float y\nproperty float z\nend_header\n\0\0\0\0"), points, "truncated");
        rejects("hugeascii.ply", ascii("ply\nformat ascii 1.0\nelement vertex 2000000000\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 3\n"), points, "truncated");
        rejects("noz.ply", ascii("ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nend_header\n1 2\n"), points, "lacks x, y or z");
        rejects("type.ply", ascii("ply\nformat ascii 1.0\nelement vertex 1\nproperty float128 x\nend_header\n"), points, "unknown PLY property type");
        rejects("noend.ply", ascii("ply\nformat ascii 1.0\nelement vertex 1\n"), points, "end_header");
        rejects("notply.ply", ascii("solid cube\n"), points, "not a PLY");
        rejects("negcount.ply", ascii("ply\nformat ascii 1.0\nelement vertex -5\nend_header\n"), points, "element count");
        byte[] faceFirst = ascii("ply\nformat binary_little_endian 1.0\nelement face 1\nproperty list int int idx\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n");
        rejects("biglist.ply", concat(faceFirst, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 0, 0}), points, "truncated");
        rejects("nanpoint.ply", ascii("ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 3\n1 nan 3\n"), points, "NaN");
        rejects("empty.ply", ascii("ply\nformat ascii 1.0\nelement vertex 0\nproperty float x\nproperty float y\nproperty float z\nend_header\n"), points, "no points");
        String pcd = "VERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH 1\nHEIGHT 1\nPOINTS ";
        rejects("huge.pcd", ascii(pcd + "1000000000\nDATA binary\n" + "\0".repeat(12)), points, "truncated");
        rejects("zip.pcd", ascii(pcd + "1\nDATA binary_compressed\n"), points, "truncated compressed PCD");
        rejects("bomb.pcd", concat(ascii(pcd + "100000000\nDATA binary_compressed\n"),
                new byte[] {4, 0, 0, 0, 0, (byte) 0x8C, (byte) 0x86, 0x47, 1, 2, 3, 4}), points, "claims");
        rejects("badref.pcd", concat(ascii(pcd + "1\nDATA binary_compressed\n"),
                new byte[] {2, 0, 0, 0, 12, 0, 0, 0, (byte) 0x20, 5}), points, "corrupt LZF");
        rejects("nofields.pcd", ascii("VERSION 0.7\nPOINTS 1\nDATA ascii\n1 2 3\n"), points, "lacks FIELDS");
        rejects("noheader.pcd", ascii("1 2 3\n"), points, "no DATA line");
        rejects("two.xyz", ascii("1 2 3\n4 5\n"), points, "line 2");
        rejects("words.txt", ascii("1 2 3\nx y z\n"), points, "not a number");
        rejects("inf.xyz", ascii("1 2 3\n1e39 0 0\n"), points, "infinite");
        rejects("nanfirst.xyz", ascii("NaN 2 3\n1 0 0\n"), points, "NaN");
        rejects("cloud.foo", ascii("1 2 3\n"), points, "unsupported point cloud format");
        rejects("flat.npy", npy("<f4", "(4, 2)", new byte[32]), points, "shape");
        rejects("bool.npy", npy("|b1", "(1, 3)", new byte[3]), points, "dtype");
        rejects("lies.npy", npy("<f4", "(100000000, 3)", new byte[12]), points, "needs");
        rejects("pickle.pt", ascii("\u0080\u0002}q\u0000."), points, "legacy");
        rejects("notzip.pt", ascii("PK but not really a zip"), points, "");
    }

    @Test
    void brokenSensorArrays() throws IOException {
        rejects("bad.npy", npy("<f4", "(5, 100)", new byte[2000]), MediaTensors::imu, "expected [6, T]");
        rejects("five.csv", ascii("ax,ay,az,gx,gy\n1,2,3,4,5\n"), MediaTensors::imu, "columns");
        rejects("nan.csv", ascii("1,2,3,4,5,NaN\n"), MediaTensors::imu, "NaN");
        rejects("empty.csv", ascii("t,ax,ay,az,gx,gy,gz\n"), MediaTensors::imu, "no samples");
        rejects("batch.npy", npy("<f4", "(2, 6, 10)", new byte[480]), MediaTensors::imu, "batch of 2");
        rejects("rgb.npy", npy("<f4", "(3, 224, 224)", new byte[3 * 224 * 224 * 4]), MediaTensors::depth, "expected [1, 224, 224]");
        ByteBuffer inf = ByteBuffer.allocate(224 * 224 * 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(8, Float.POSITIVE_INFINITY);
        rejects("inf.npy", npy("<f4", "(224, 224)", inf.array()), MediaTensors::thermal, "NaN or infinite");
    }

    private byte[] npy(String descr, String shape, byte[] body) throws IOException {
        Path tmp = dir.resolve("tmp.npy");
        NpyFiles.write(tmp, descr, shape, body);
        return Files.readAllBytes(tmp);
    }
}
