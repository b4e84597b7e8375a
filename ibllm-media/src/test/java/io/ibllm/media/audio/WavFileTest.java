package io.ibllm.media.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sample decoding and scaling of every WAV encoding (torchaudio.load normalize=True). */
class WavFileTest {
    @TempDir Path dir;

    private Pcm open(byte[] bytes) throws IOException {
        Path f = dir.resolve("t" + System.nanoTime() + ".wav");
        Files.write(f, bytes);
        return AudioFiles.open(f);
    }

    @Test
    void pcm16StereoIsInterleavedAndScaledBy32768() throws IOException {
        try (Pcm p = open(new WavBuilder().fmt(1, 2, 8000, 16).chunk("LIST", 3, new byte[3])
                .data(WavBuilder.pcm16((short) -32768, (short) 1, (short) 32767, (short) -2)).bytes())) {
            assertEquals(2, p.channels());
            assertEquals(2, p.frames());
            assertEquals(8000, p.sampleRate());
            assertEquals(-1f, p.sample(0, 0));
            assertEquals(1 / 32768f, p.sample(1, 0));
            assertEquals(32767 / 32768f, p.sample(0, 1));
            assertEquals(-2 / 32768f, p.sample(1, 1));
            assertEquals(0f, p.sample(0, 2)); // outside: the resampler's zero padding
        }
    }

    @Test
    void unsigned8Signed24And32() throws IOException {
        try (Pcm p = open(new WavBuilder().fmt(1, 1, 16000, 8).data(new byte[] {0, (byte) 128, (byte) 255}).bytes())) {
            assertEquals(-1f, p.sample(0, 0));
            assertEquals(0f, p.sample(0, 1));
            assertEquals(127 / 128f, p.sample(0, 2));
        }
        byte[] s24 = {(byte) 0xFF, (byte) 0xFF, 0x7F, 0x00, 0x00, (byte) 0x80, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF};
        try (Pcm p = open(new WavBuilder().fmt(1, 1, 16000, 24).data(s24).bytes())) {
            assertEquals(8388607 / 8388608f, p.sample(0, 0));
            assertEquals(-1f, p.sample(0, 1));
            assertEquals(-2 / 8388608f, p.sample(0, 2));
        }
        byte[] s32 = {0, 0, 0, (byte) 0x80, 1, 0, 0, 0};
        try (Pcm p = open(new WavBuilder().fmt(1, 1, 16000, 32).data(s32).bytes())) {
            assertEquals(-1f, p.sample(0, 0));
            assertEquals(1f / 2147483648f, p.sample(0, 1));
        }
    }

    @Test
    void floatAndExtensibleMultichannel() throws IOException {
        try (Pcm p = open(new WavBuilder().fmt(3, 1, 22050, 32).data(WavBuilder.float32(0.25f, -2f)).bytes())) {
            assertEquals(0.25f, p.sample(0, 0));
            assertEquals(-1f, p.sample(0, 1)); // clamped like sox's float -> int32 conversion
        }
        try (Pcm p = open(new WavBuilder().fmtExtensible(1, 3, 48000, 16).data(WavBuilder.pcm16((short) 1, (short) 2, (short) 3)).bytes())) {
            assertEquals(3, p.channels());
            assertEquals(3 / 32768f, p.sample(2, 0));
        }
        try (Pcm p = open(new WavBuilder().fmtExtensible(3, 2, 44100, 32).data(WavBuilder.float32(0.5f, -0.5f)).bytes())) {
            assertEquals(-0.5f, p.sample(1, 0));
        }
    }

    @Test
    void streamedWavWithUnsetDataSizeReadsToTheEnd() throws IOException {
        for (int size : new int[] {0, -1}) {
            try (Pcm p = open(new WavBuilder().fmt(1, 1, 8000, 16).chunk("data", size, WavBuilder.pcm16((short) 5, (short) 6, (short) 7)).bytes())) {
                assertEquals(3, p.frames());
                assertEquals(7 / 32768f, p.sample(0, 2));
            }
        }
    }

    @Test
    void muLawWavGoesThroughFfmpeg() throws IOException {
        // G.711 mu-law: 0xFF and 0x7F are zero, 0x80 / 0x00 the extremes +-32124 (of 32768)
        try (Pcm p = open(new WavBuilder().fmt(7, 1, 8000, 8).data(new byte[] {(byte) 0xFF, (byte) 0x80, 0x00, 0x7F}).bytes())) {
            assertEquals(8000, p.sampleRate());
            assertEquals(4, p.frames());
            assertEquals(0f, p.sample(0, 0));
            assertEquals(32124 / 32768f, p.sample(0, 1));
            assertEquals(-32124 / 32768f, p.sample(0, 2));
            assertEquals(0f, p.sample(0, 3));
        }
    }

    @Test
    void partialTrailingFrameIsDropped() throws IOException {
        try (Pcm p = open(new WavBuilder().fmt(1, 2, 8000, 16).data(new byte[] {1, 0, 2, 0, 3}).bytes())) {
            assertEquals(1, p.frames());
        }
    }
}
