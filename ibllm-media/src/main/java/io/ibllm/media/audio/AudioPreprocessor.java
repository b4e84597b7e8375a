package io.ibllm.media.audio;

import io.ibllm.io.FormatException;
import io.ibllm.media.ClipSampler;
import io.ibllm.media.Fraction;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ImageBind's load_and_transform_audio_data for one file: decode, resample to 16 kHz, cut
 * {@code clipsPerVideo} clips, log-mel each, pad/crop to 204 frames, normalise ->
 * [clips, 1, melBins, targetLength].
 *
 * <p>Two quirks of the reference are reproduced on purpose. (1) waveform2melspec subtracts the
 * clip mean IN PLACE on a view of the whole waveform, so where clips overlap (inputs shorter than
 * clipsPerVideo * 2 s) a later clip sees samples already shifted by earlier clips' means. (2) The
 * mean is taken over all channels, but the filterbank uses channel 0 only (the left channel).
 *
 * <p>Only the clip slices of the 16 kHz waveform are computed (merged where they overlap), so a
 * long file costs three 2 s windows, not a full resample.
 */
public final class AudioPreprocessor {
    private static final System.Logger LOG = System.getLogger("io.ibllm.media");

    /** One clip: exact [start, end) in seconds and the sample slice [startSample, endSample) before clipping to the waveform. */
    public record AudioClip(ClipSampler.Clip clip, long startSample, long endSample) {}

    /** What happened to one clip: its slice and the mean subtracted from it (golden.json "audio"). */
    public record ClipTrace(AudioClip clip, int samples, float meanSubtracted) {}

    /** The encoder input [clips, 1, melBins, targetLength] and per-clip bookkeeping. */
    public record Result(float[] values, long[] shape, List<ClipTrace> clips) {
        public Tensor tensor() { return Tensor.f32(values, shape); }
    }

    private final AudioConfig config;
    private final KaldiFbank fbank;

    public AudioPreprocessor(AudioConfig config) {
        this.config = config;
        this.fbank = new KaldiFbank(config.sampleRate(), config.melBins());
    }

    public static Tensor load(Path file) {
        return new AudioPreprocessor(AudioConfig.IMAGEBIND).process(file).tensor();
    }

    public Result process(Path file) {
        try (Pcm pcm = AudioFiles.open(file)) {
            return process(file, pcm);
        }
    }

    /** The 16 kHz waveform as the reference resamples it (whole file; for tests and debugging). */
    public static float[][] resampled(Pcm pcm, int rate) {
        SincResampler r = pcm.sampleRate() == rate ? null : new SincResampler(pcm.sampleRate(), rate);
        long n = r == null ? pcm.frames() : r.outputLength(pcm.frames());
        return window(pcm, r, 0, Math.toIntExact(n));
    }

    Result process(Path file, Pcm pcm) {
        if (pcm.frames() == 0) throw new FormatException(file, "audio has no samples");
        SincResampler r = pcm.sampleRate() == config.sampleRate() ? null : new SincResampler(pcm.sampleRate(), config.sampleRate());
        long length = r == null ? pcm.frames() : r.outputLength(pcm.frames());
        List<AudioClip> clips = clips(length, config);
        List<Segment> segments = segments(pcm, r, clips, length, file);
        int perClip = config.melBins() * config.targetLength();
        float[] out = new float[clips.size() * perClip];
        List<ClipTrace> traces = new ArrayList<>();
        boolean warned = false;
        for (int c = 0; c < clips.size(); c++) {
            AudioClip clip = clips.get(c);
            long end = Math.min(clip.endSample(), length);
            Segment seg = Segment.containing(segments, clip.startSample());
            int from = (int) (clip.startSample() - seg.start), n = (int) (end - clip.startSample());
            float mean = subtractMeanInPlace(seg.channels, from, n);
            traces.add(new ClipTrace(clip, n, mean));
            float[][] mel = fbank.compute(seg.channels[0], from, n);
            if (!warned && Math.abs(config.targetLength() - mel.length) > 0.2 * mel.length) { // the reference warns too
                LOG.log(System.Logger.Level.WARNING, file + ": audio is " + length * 1000 / config.sampleRate() + " ms long; its clips have "
                        + mel.length + " frames, padded/cut to " + config.targetLength());
                warned = true;
            }
            writeClip(mel, out, c * perClip);
        }
        for (float v : out) if (!Float.isFinite(v)) throw new FormatException(file, "audio contains NaN or infinite samples");
        return new Result(out, new long[] {clips.size(), 1, config.melBins(), config.targetLength()}, traces);
    }

    /** Transpose to [mel, frame], zero-pad/cut to targetLength, then (x - mean) / std in float32. */
    private void writeClip(float[][] mel, float[] out, int base) {
        int t = config.targetLength();
        for (int m = 0; m < config.melBins(); m++) {
            for (int f = 0; f < t; f++) {
                float v = f < mel.length ? mel[f][m] : 0f;
                out[base + m * t + f] = (v - config.mean()) / config.std();
            }
        }
    }

    /** {@code clip -= clip.mean()} over all channels, in float32 as torch does it; returns the mean. */
    private static float subtractMeanInPlace(float[][] channels, int from, int n) {
        double sum = 0;
        for (float[] ch : channels) for (int i = from; i < from + n; i++) sum += ch[i];
        float mean = (float) (sum / ((double) n * channels.length));
        for (float[] ch : channels) for (int i = from; i < from + n; i++) ch[i] -= mean;
        return mean;
    }

    /** A stretch [start, start + length) of the 16 kHz waveform, all channels. */
    private record Segment(long start, float[][] channels) {
        static Segment containing(List<Segment> segments, long sample) {
            for (Segment s : segments) if (sample >= s.start && sample < s.start + s.channels[0].length) return s;
            throw new IllegalStateException("no segment holds sample " + sample);
        }
    }

    /**
     * The clips of a waveform of {@code frames} samples at the target rate. The reference's duration
     * is the float {@code frames / rate} and the sampler subtracts the clip length from it in
     * float before taking the exact Fraction, which the shared sampler gets from a duration of
     * Fraction(max(d - clip, 0)) + clip. Samples: int(start * rate), int(end * rate).
     */
    public static List<AudioClip> clips(long frames, AudioConfig config) {
        double seconds = (double) frames / config.sampleRate();
        Fraction length = Fraction.of(config.clipDuration());
        Fraction duration = Fraction.of(Math.max(seconds - config.clipDuration(), 0.0)).plus(length);
        Fraction rate = Fraction.of(config.sampleRate(), 1);
        List<AudioClip> out = new ArrayList<>();
        for (ClipSampler.Clip c : ClipSampler.clips(duration, length, config.clipsPerVideo())) {
            out.add(new AudioClip(c, c.start().times(rate).floor().longValueExact(), c.end().times(rate).floor().longValueExact()));
        }
        return out;
    }

    private List<Segment> segments(Pcm pcm, SincResampler r, List<AudioClip> clips, long length, Path file) {
        List<long[]> ranges = new ArrayList<>();
        for (AudioClip c : clips) {
            long s = c.startSample(), e = Math.min(c.endSample(), length);
            if (e - s < fbank.frameLength()) {
                throw new FormatException(file, "audio is too short (" + (e - s) * 1000 / config.sampleRate()
                        + " ms at " + config.sampleRate() + " Hz); at least " + fbank.frameLength() * 1000 / config.sampleRate() + " ms is needed");
            }
            ranges.add(new long[] {s, e});
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Segment> out = new ArrayList<>();
        long s = ranges.getFirst()[0], e = ranges.getFirst()[1];
        for (long[] x : ranges) {
            if (x[0] > e) {
                out.add(new Segment(s, window(pcm, r, s, Math.toIntExact(e - s))));
                s = x[0];
            }
            e = Math.max(e, x[1]);
        }
        out.add(new Segment(s, window(pcm, r, s, Math.toIntExact(e - s))));
        return out;
    }

    /** Samples [from, from + n) of every channel at the target rate. */
    private static float[][] window(Pcm pcm, SincResampler r, long from, int n) {
        float[][] out = new float[pcm.channels()][];
        for (int c = 0; c < out.length; c++) {
            if (r != null) {
                out[c] = r.resample(pcm, c, from, n);
            } else {
                out[c] = new float[n];
                for (int i = 0; i < n; i++) out[c][i] = pcm.sample(c, from + i);
            }
        }
        return out;
    }
}
