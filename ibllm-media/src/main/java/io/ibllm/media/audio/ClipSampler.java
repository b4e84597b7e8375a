package io.ibllm.media.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * pytorchvideo's ConstantClipsPerVideoSampler at the commit ImageBind pins (28fe037d), as
 * ImageBind's {@code get_clip_timepoints} drives it: always {@code clipsPerVideo} clips, clip i
 * starting at {@code i * Fraction(max(duration - clipDuration, 0)) / max(clipsPerVideo - 1, 1)}
 * and ending clipDuration later. Short inputs therefore repeat the same clip (start 0). The
 * duration is the float {@code frames / rate} as Python computes it; everything after that is exact.
 */
public final class ClipSampler {
    /** One clip: exact start/end in seconds and the sample slice [startSample, endSample). */
    public record Clip(Rational start, Rational end, long startSample, long endSample) {}

    private ClipSampler() {}

    public static List<Clip> clips(long frames, int sampleRate, double clipDuration, int clipsPerVideo) {
        if (clipsPerVideo < 1) throw new IllegalArgumentException("clips per video must be >= 1");
        double duration = (double) frames / sampleRate;
        Rational maxStart = Rational.of(Math.max(duration - clipDuration, 0.0));
        Rational step = maxStart.dividedBy(Math.max(clipsPerVideo - 1, 1));
        Rational length = Rational.of(clipDuration);
        Rational rate = Rational.of(sampleRate);
        List<Clip> out = new ArrayList<>(clipsPerVideo);
        for (int i = 0; i < clipsPerVideo; i++) {
            Rational start = step.times(Rational.of(i));
            Rational end = start.plus(length);
            out.add(new Clip(start, end, start.times(rate).truncate(), end.times(rate).truncate()));
        }
        return out;
    }
}
