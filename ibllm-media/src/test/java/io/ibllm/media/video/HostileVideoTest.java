package io.ibllm.media.video;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.FormatException;
import io.ibllm.media.MediaGolden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken video files fail with one line naming the file; FFmpeg errors never escape raw. */
class HostileVideoTest {
    @TempDir
    Path dir;

    static void rejects(Path f, String... keywords) {
        FormatException e = assertThrows(FormatException.class, () -> new VideoLoader(2).load(f));
        String m = e.getMessage();
        System.out.println("  rejected: " + m);
        assertTrue(m.startsWith(f.toString()), "message must name the file: " + m);
        assertTrue(m.lines().count() == 1, "one line: " + m);
        String lower = m.toLowerCase(Locale.ROOT);
        assertTrue(Arrays.stream(keywords).anyMatch(lower::contains), m + " lacks one of " + Arrays.toString(keywords));
    }

    Path file(String name, byte[] content) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return f;
    }

    @Test
    void missingEmptyGarbageAndNoVideo() throws Exception {
        rejects(dir.resolve("nope.mp4"), "no such file");
        rejects(dir, "not a regular file");
        rejects(file("empty.mp4", new byte[0]), "empty file");
        byte[] noise = new byte[20_000];
        new Random(5).nextBytes(noise);
        rejects(file("noise.mp4", noise), "cannot open", "no video stream", "corrupt");
        rejects(file("text.mkv", "not a video\n".repeat(100).getBytes()), "cannot open", "no video stream");
        rejects(MediaGolden.file("inputs/audio_0.wav"), "no video stream");
    }

    @Test
    void playlistsCannotMakeFfmpegOpenUrls() throws Exception {
        String m3u8 = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://127.0.0.1:9/x.ts\n#EXT-X-ENDLIST\n";
        rejects(file("list.m3u8", m3u8.getBytes()), "cannot open");
    }

    @Test
    void truncatedMp4() throws Exception {
        byte[] mp4 = Files.readAllBytes(VideoGoldenTest.VIDEO);
        for (int n : new int[] {mp4.length / 2, 200, 40}) {
            rejects(file("cut" + n + ".mp4", Arrays.copyOf(mp4, n)), "cannot open", "cannot read", "corrupt", "no video", "no decodable",
                    "contains no video frames");
        }
    }

    @Test
    void corruptedStreamFailsCleanlyOrDecodes() throws Exception {
        byte[] mp4 = Files.readAllBytes(VideoGoldenTest.VIDEO);
        Random rnd = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            byte[] c = mp4.clone();
            for (int k = 0; k < 30; k++) c[rnd.nextInt(c.length)] = (byte) rnd.nextInt(256);
            Path f = file("corrupt" + trial + ".mp4", c);
            try {
                new VideoLoader(2).load(f); // the H.264 decoder conceals many errors, as under PyAV
            } catch (FormatException e) {
                assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().lines().count() == 1, e.getMessage());
            }
        }
    }

    @Test
    void clipCountIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new VideoLoader(0));
        assertThrows(IllegalArgumentException.class, () -> new VideoLoader(VideoLoader.MAX_CLIPS + 1));
    }
}
