package io.ibllm.media.image;

/**
 * An 8-bit image, samples interleaved row-major ({@code data[(y*width + x)*channels + c]}),
 * as PIL holds an "RGB" or "L" image.
 */
public record Image8(int width, int height, int channels, byte[] data) {
    public Image8 {
        if ((long) width * height * channels != data.length) {
            throw new IllegalArgumentException("image " + width + "x" + height + "x" + channels + " needs "
                    + (long) width * height * channels + " samples, got " + data.length);
        }
    }

    public int get(int x, int y, int c) {
        return data[(y * width + x) * channels + c] & 0xFF;
    }
}
