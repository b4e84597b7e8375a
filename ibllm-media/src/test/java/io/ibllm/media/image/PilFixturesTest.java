package io.ibllm.media.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.Json;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fixtures made by Pillow 9.4.0 itself (src/test/resources/pil/make_fixtures.py): for WebP (lossy, lossless, alpha, odd sizes), JPEG
 * (4:2:0, 4:2:2, progressive, odd size, gray, CMYK), PNG (RGBA, palette + tRNS, 1-bit, LA,
 * 16-bit gray), GIF, BMP and TIFF inputs, PIL's convert("RGB"); for odd sizes, PIL's resize
 * and the centre crop. Everything must match exactly.
 */
class PilFixturesTest {
    static Path dir() throws URISyntaxException {
        return Path.of(PilFixturesTest.class.getResource("/pil/cases.json").toURI()).getParent();
    }

    @Test
    @SuppressWarnings("unchecked")
    void decodeAndGeometryMatchPillow() throws Exception {
        Path dir = dir();
        List<Object> cases = (List<Object>) Json.parse(Files.readString(dir.resolve("cases.json")));
        List<String> failures = new ArrayList<>();
        for (Object o : cases) {
            Map<String, Object> c = (Map<String, Object>) o;
            String name = (String) c.get("file");
            Image8 ours = ImageLoader.decodeRgb(dir.resolve(name));
            Image8 pil = ImageLoader.decodeRgb(dir.resolve(name + ".rgb.png"));
            int d = maxDiff(ours, pil);
            String line = name + " (" + c.get("mode") + "): decode max diff " + d;
            if (d != 0) failures.add(line);
            if (Boolean.TRUE.equals(c.get("crop"))) {
                int g = maxDiff(VisionTransform.resizeAndCrop(ours), ImageLoader.decodeRgb(dir.resolve(name + ".224.png")));
                line += ", resize+crop max diff " + g;
                if (g != 0) failures.add(line);
            }
            System.out.println("  " + line);
        }
        assertTrue(cases.size() >= 20);
        assertTrue(failures.isEmpty(), "differs from Pillow: " + failures);
    }

    static int maxDiff(Image8 a, Image8 b) {
        assertEquals(b.width(), a.width(), "width");
        assertEquals(b.height(), a.height(), "height");
        int m = 0;
        for (int i = 0; i < a.data().length; i++) m = Math.max(m, Math.abs((a.data()[i] & 0xFF) - (b.data()[i] & 0xFF)));
        return m;
    }
}
