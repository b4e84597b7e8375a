package io.ibllm.media;

import java.util.ArrayList;
import java.util.List;

/**
 * pytorchvideo's ConstantClipsPerVideoSampler at the commit the reference pins (28fe037d), as
 * ImageBind's get_clip_timepoints drives it: clip i of n starts at
 * {@code i * max(duration - clipDuration, 0) / max(n - 1, 1)} and lasts clipDuration, in exact
 * rational arithmetic (golden.json video clips confirm the division by n - 1).
 */
public final class ClipSampler {
    private ClipSampler() {}

    /** A clip's [start, end) in seconds. */
    public record Clip(Fraction start, Fraction end) {}

    public static List<Clip> clips(Fraction duration, Fraction clipDuration, int clipsPerVideo) {
        if (clipsPerVideo < 1) throw new IllegalArgumentException("clips per video must be >= 1, got " + clipsPerVideo);
        Fraction maxStart = duration.minus(clipDuration).max(Fraction.ZERO);
        Fraction step = maxStart.divide(Fraction.of(Math.max(clipsPerVideo - 1, 1), 1));
        List<Clip> out = new ArrayList<>(clipsPerVideo);
        for (int i = 0; i < clipsPerVideo; i++) {
            Fraction start = step.times(Fraction.of(i, 1));
            out.add(new Clip(start, start.plus(clipDuration)));
        }
        return out;
    }
}
