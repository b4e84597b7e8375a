package io.ibllm.media.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Node;

/**
 * PIL's first GIF frame: an image of the LOGICAL SCREEN size, filled with palette index 0 (or the
 * frame's transparent index), with the frame pasted at its offset — javax.imageio returns just the
 * frame. Without offsets or a larger screen both agree.
 */
final class GifCanvas {
    private GifCanvas() {}

    /** Logical screen size {width, height}, or null when the stream metadata lacks it. */
    static int[] screenSize(ImageReader reader) throws IOException {
        IIOMetadata md = reader.getStreamMetadata();
        Node lsd = md == null ? null : find(md.getAsTree("javax_imageio_gif_stream_1.0"), "LogicalScreenDescriptor");
        if (lsd == null) return null;
        return new int[] {intAttr(lsd, "logicalScreenWidth", 0), intAttr(lsd, "logicalScreenHeight", 0)};
    }

    static DecodedImage compose(ImageReader reader, BufferedImage frame) throws IOException {
        int[] screen = screenSize(reader);
        Node root = reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
        Node desc = find(root, "ImageDescriptor"), gce = find(root, "GraphicControlExtension");
        int left = desc == null ? 0 : intAttr(desc, "imageLeftPosition", 0), top = desc == null ? 0 : intAttr(desc, "imageTopPosition", 0);
        if (screen == null || !(frame.getColorModel() instanceof IndexColorModel icm)
                || (left == 0 && top == 0 && screen[0] == frame.getWidth() && screen[1] == frame.getHeight())) {
            return new DecodedImage(frame.getRaster(), frame.getColorModel(), "gif", -1);
        }
        int fill = 0;
        if (gce != null && "TRUE".equalsIgnoreCase(attr(gce, "transparentColorFlag"))) fill = intAttr(gce, "transparentColorIndex", 0);
        WritableRaster canvas = icm.createCompatibleWritableRaster(screen[0], screen[1]);
        for (int y = 0; y < screen[1]; y++) for (int x = 0; x < screen[0]; x++) canvas.setSample(x, y, 0, fill);
        Raster src = frame.getRaster();
        int w = Math.min(src.getWidth(), screen[0] - left), h = Math.min(src.getHeight(), screen[1] - top);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) canvas.setSample(left + x, top + y, 0, src.getSample(x, y, 0));
        return new DecodedImage(canvas, icm, "gif", -1);
    }

    private static Node find(Node n, String name) {
        if (name.equals(n.getNodeName())) return n;
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            Node r = find(c, name);
            if (r != null) return r;
        }
        return null;
    }

    private static String attr(Node n, String name) {
        Node a = n.getAttributes().getNamedItem(name);
        return a == null ? null : a.getNodeValue();
    }

    private static int intAttr(Node n, String name, int dflt) {
        String v = attr(n, name);
        try {
            return v == null ? dflt : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
