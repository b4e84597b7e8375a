package io.ibllm.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** A loss-per-step curve as a PNG (written atomically), for {@code --plot}. */
public final class LossPlot {
    private LossPlot() {}

    public static void write(Path file, List<double[]> stepLoss) {
        int w = 800, h = 480, m = 60;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.DARK_GRAY);
        g.drawRect(m, m / 2, w - m - 20, h - m - m / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("step", w / 2, h - 15);
        g.drawString("loss", 10, h / 2);
        if (!stepLoss.isEmpty()) {
            double minS = stepLoss.get(0)[0], maxS = stepLoss.get(stepLoss.size() - 1)[0];
            double minL = Double.MAX_VALUE, maxL = -Double.MAX_VALUE;
            for (double[] p : stepLoss) {
                minL = Math.min(minL, p[1]);
                maxL = Math.max(maxL, p[1]);
            }
            if (maxL == minL) maxL = minL + 1;
            if (maxS == minS) maxS = minS + 1;
            g.drawString(String.format("%.4g", maxL), 5, m / 2 + 10);
            g.drawString(String.format("%.4g", minL), 5, h - m);
            g.drawString(String.valueOf((long) minS), m, h - m + 15);
            g.drawString(String.valueOf((long) maxS), w - 60, h - m + 15);
            g.setColor(new Color(30, 90, 200));
            g.setStroke(new BasicStroke(2f));
            int px = -1, py = -1;
            for (double[] p : stepLoss) {
                int x = m + (int) ((p[0] - minS) / (maxS - minS) * (w - m - 20));
                int y = m / 2 + (int) ((maxL - p[1]) / (maxL - minL) * (h - m - m / 2));
                if (px >= 0) g.drawLine(px, py, x, y);
                else g.fillOval(x - 2, y - 2, 4, 4);
                px = x;
                py = y;
            }
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        io.ibllm.io.AtomicFiles.write(file, out -> out.write(bytes.toByteArray()));
    }
}
