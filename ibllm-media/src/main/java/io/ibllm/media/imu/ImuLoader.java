package io.ibllm.media.imu;

import io.ibllm.io.FormatException;
import io.ibllm.io.Npy;
import io.ibllm.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * IMU input for ImageBind's IMU encoder, [6, 2000]: accelerometer x, y, z then gyroscope x, y, z,
 * 2000 samples (10 s at 200 Hz in Ego4D). The reference has no loader; this one accepts
 * <ul>
 *   <li>.npy [6, T], time-major [T, 6] (transposed), or a batch [B, 6, T] (the golden imu.npy);</li>
 *   <li>.csv/.txt: one sample per row, 6 columns, or 7 with a leading timestamp column (dropped);
 *       comma, semicolon or whitespace separated; a non-numeric first row is a header.</li>
 * </ul>
 * T = 2000 is used as is. Shorter recordings are zero-padded at the end (the encoder's window
 * keeps its time scale); longer ones are linearly resampled to 2000 samples (sample i is taken at
 * position i * (T-1) / 1999, both ends kept). NaN or infinite values are refused.
 */
public final class ImuLoader {
    public static final int CHANNELS = 6, SAMPLES = 2000;
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,;]+");

    private ImuLoader() {}

    /** The encoder input [B, 6, 2000]; B = 1 except for a batched .npy. */
    public static Tensor load(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        float[][][] batch = name.endsWith(".npy") ? fromNpy(file) : new float[][][] {fromCsv(file)};
        float[] out = new float[batch.length * CHANNELS * SAMPLES];
        for (int b = 0; b < batch.length; b++) {
            for (int c = 0; c < CHANNELS; c++) {
                for (float v : batch[b][c]) if (!Float.isFinite(v)) throw new FormatException(file, "IMU data contains NaN or infinite values");
                System.arraycopy(fit(batch[b][c]), 0, out, (b * CHANNELS + c) * SAMPLES, SAMPLES);
            }
        }
        return Tensor.f32(out, batch.length, CHANNELS, SAMPLES);
    }

    /** Zero-pad or linearly resample one channel to SAMPLES. */
    static float[] fit(float[] x) {
        if (x.length == SAMPLES) return x;
        float[] out = new float[SAMPLES];
        if (x.length < SAMPLES) {
            System.arraycopy(x, 0, out, 0, x.length);
            return out;
        }
        for (int i = 0; i < SAMPLES; i++) {
            double pos = (double) i * (x.length - 1) / (SAMPLES - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, x.length - 1);
            double w = pos - lo;
            out[i] = (float) (x[lo] * (1 - w) + x[hi] * w);
        }
        return out;
    }

    private static float[][][] fromNpy(Path file) {
        Tensor t = Npy.read(file);
        long[] s = t.shape();
        boolean batched = s.length == 3 && s[1] == CHANNELS;
        boolean channelMajor = batched || (s.length == 2 && s[0] == CHANNELS);
        boolean timeMajor = s.length == 2 && s[1] == CHANNELS && !channelMajor;
        if (!channelMajor && !timeMajor) {
            throw new FormatException(file, "IMU array has shape " + t.shapeString() + ", expected [6, T], [T, 6] or [B, 6, T]");
        }
        if (t.dtype().isQuantized()) throw new FormatException(file, "IMU array has dtype " + t.dtype());
        int b = batched ? Math.toIntExact(s[0]) : 1;
        int samples = Math.toIntExact(timeMajor ? s[0] : s[s.length - 1]);
        if (samples == 0 || b == 0) throw new FormatException(file, "IMU array has no samples");
        float[][][] out = new float[b][CHANNELS][samples];
        for (int n = 0; n < b; n++) {
            for (int c = 0; c < CHANNELS; c++) {
                for (int i = 0; i < samples; i++) {
                    long at = timeMajor ? (long) i * CHANNELS + c : ((long) n * CHANNELS + c) * samples + i;
                    out[n][c][i] = t.getFloat(at);
                }
            }
        }
        return out;
    }

    private static float[][] fromCsv(Path file) {
        List<float[]> rows = new ArrayList<>();
        int lineNo = 0;
        boolean first = true;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) continue;
                String[] cols = SEPARATORS.split(s);
                boolean header = first && !isNumber(cols[cols.length - 1]);
                first = false;
                if (header) continue;
                rows.add(row(file, lineNo, cols));
            }
        } catch (IOException e) {
            throw new FormatException(file, "cannot read: " + e.getMessage());
        }
        if (rows.isEmpty()) throw new FormatException(file, "IMU file has no samples");
        float[][] ch = new float[CHANNELS][rows.size()];
        for (int i = 0; i < rows.size(); i++) for (int c = 0; c < CHANNELS; c++) ch[c][i] = rows.get(i)[c];
        return ch;
    }

    private static float[] row(Path file, int lineNo, String[] cols) {
        if (cols.length != CHANNELS && cols.length != CHANNELS + 1) {
            throw new FormatException(file, "line " + lineNo + " has " + cols.length + " columns, expected 6 (acc xyz, gyro xyz) or 7 (timestamp first)");
        }
        int skip = cols.length - CHANNELS;
        float[] r = new float[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            try {
                r[c] = (float) Double.parseDouble(cols[skip + c]);
            } catch (NumberFormatException e) {
                throw new FormatException(file, "line " + lineNo + ": '" + cols[skip + c] + "' is not a number");
            }
        }
        return r;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
