package io.ibllm.media.video;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

import io.ibllm.io.FormatException;
import io.ibllm.media.ClipSampler;
import io.ibllm.media.ClipSampler.Clip;
import io.ibllm.media.Fraction;
import io.ibllm.media.MediaLoader;
import io.ibllm.media.image.Image8;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Video file to the vision encoder input [clips * 3, 3, 2, 224, 224] as ImageBind's
 * load_and_transform_video_data (pytorchvideo, PyAV decoder) builds it: duration = stream
 * duration x time base (or, without one, the last frame's pts), clips from
 * {@link ClipSampler} (2 s), frames with pts in [ceil(start / tb), ceil(end / tb)) + stream start,
 * UniformTemporalSubsample(2) = the first and the last frame of the clip (positions
 * linspace(0, n - 1, 2) truncated), then {@link VideoTransform}. Frames are decoded once, in
 * order, and only the two per clip that are used are kept.
 */
public final class VideoLoader implements MediaLoader {
    public static final int DEFAULT_CLIPS = 5;
    /** The output holds 3.6 MB per clip: 256 clips make a 0.9 GB tensor. */
    public static final int MAX_CLIPS = 256;
    static final Fraction CLIP_SECONDS = Fraction.of(2, 1);
    static final int FRAMES_PER_CLIP = 2;

    private final int clipsPerVideo;

    public VideoLoader() {
        this(DEFAULT_CLIPS);
    }

    public VideoLoader(int clipsPerVideo) {
        if (clipsPerVideo < 1 || clipsPerVideo > MAX_CLIPS) {
            throw new IllegalArgumentException("clips per video must be in 1.." + MAX_CLIPS + ", got " + clipsPerVideo);
        }
        this.clipsPerVideo = clipsPerVideo;
    }

    /** One sampled clip: its pts window, how many distinct frames fell in it, the 2 frames kept. */
    public record SampledClip(Clip clip, long startPts, long endPts, int frameCount, long[] framePts, List<Image8> frames) {}

    /** Receives each clip as soon as its window is complete (clips may complete out of order). */
    @FunctionalInterface
    public interface ClipHandler {
        void clip(int index, SampledClip clip);
    }

    @Override
    public Tensor load(Path file) {
        int per = 3 * FRAMES_PER_CLIP * VideoTransform.SIZE * VideoTransform.SIZE;
        float[] out = new float[Math.multiplyExact(clipsPerVideo * 3, per)];
        // each clip is transformed as soon as it is complete, so only open windows hold frames
        sample(file, (i, clip) -> {
            float[][] crops = VideoTransform.apply(clip.frames());
            for (int k = 0; k < 3; k++) System.arraycopy(crops[k], 0, out, (i * 3 + k) * per, per);
        });
        return Tensor.f32(out, clipsPerVideo * 3L, 3, FRAMES_PER_CLIP, VideoTransform.SIZE, VideoTransform.SIZE);
    }

    /** All clips with their subsampled RGB frames, in clip order. */
    public List<SampledClip> sample(Path file) {
        SampledClip[] clips = new SampledClip[clipsPerVideo];
        sample(file, (i, c) -> clips[i] = c);
        return List.of(clips);
    }

    /** Decodes the file once (twice without a stream duration) and hands over every clip. */
    public void sample(Path file, ClipHandler handler) {
        long durationPts;
        VideoDecoder.Info info;
        try (VideoDecoder dec = VideoDecoder.open(file)) {
            info = dec.info();
            // pytorchvideo: int(duration - start_pts) * time_base, the stream duration (a length) included
            durationPts = info.durationPts() >= 0 ? info.durationPts() : lastPts(file, dec);
        }
        Fraction duration = Fraction.of(durationPts - info.startPts(), 1).times(info.timeBase());
        List<Window> windows = new ArrayList<>();
        for (Clip c : ClipSampler.clips(duration, CLIP_SECONDS, clipsPerVideo)) {
            windows.add(new Window(c, toPts(c.start(), info), toPts(c.end(), info)));
        }
        long[] decoded = {0};
        try (VideoDecoder dec = VideoDecoder.open(file)) {
            dec.decode((pts, frame) -> {
                decoded[0]++;
                boolean open = false;
                for (int i = 0; i < windows.size(); i++) {
                    Window w = windows.get(i);
                    if (w.done) continue;
                    boolean wants = w.offer(pts, frame);
                    if (!wants) handler.clip(i, w.finish(file, dec, i));
                    open |= wants;
                }
                return open;
            });
            if (decoded[0] == 0) throw new FormatException(file, "video stream has no decodable frames");
            for (int i = 0; i < windows.size(); i++) {
                if (!windows.get(i).done) handler.clip(i, windows.get(i).finish(file, dec, i));
            }
        } finally {
            for (Window w : windows) w.release();
        }
    }

    /** pytorchvideo secs_to_pts(round_mode="ceil"): ceil(seconds / time base) + start pts. */
    private static long toPts(Fraction seconds, VideoDecoder.Info info) {
        return seconds.divide(info.timeBase()).ceil().longValueExact() + info.startPts();
    }

    /** Without a stream duration the reference decodes everything and takes the last frame's pts. */
    private static long lastPts(Path file, VideoDecoder dec) {
        long[] max = {Long.MIN_VALUE};
        dec.decode((pts, f) -> {
            max[0] = Math.max(max[0], pts);
            return true;
        });
        if (max[0] == Long.MIN_VALUE) throw new FormatException(file, "video stream has no decodable frames");
        return max[0];
    }

    /** A clip's pts window; keeps the frames with the smallest and largest pts seen in it. */
    private static final class Window {
        final Clip clip;
        final long start, end;
        final Set<Long> seen = new HashSet<>();
        boolean closed, done;
        long minPts, maxPts;
        AVFrame first, last;

        Window(Clip clip, long start, long end) {
            this.clip = clip;
            this.start = start;
            this.end = end;
        }

        /** Returns whether this window still wants frames (pytorchvideo stops at pts >= end). */
        boolean offer(long pts, AVFrame frame) {
            if (closed) return false;
            if (pts >= end) {
                closed = true;
                return false;
            }
            if (pts < start) return true;
            seen.add(pts);
            // a dict keyed by pts: a later frame with the same pts replaces the earlier one
            if (first == null || pts <= minPts) {
                free(first);
                first = av_frame_clone(frame);
                minPts = pts;
            }
            if (last == null || pts >= maxPts) {
                free(last);
                last = av_frame_clone(frame);
                maxPts = pts;
            }
            return true;
        }

        SampledClip finish(Path file, VideoDecoder dec, int index) {
            done = true;
            if (first == null) {
                throw new FormatException(file, "clip " + index + " [" + clip.start() + " s, " + clip.end()
                        + " s) contains no video frames");
            }
            Image8 a = dec.toRgb(first), b = minPts == maxPts ? a : dec.toRgb(last);
            if (a.width() != b.width() || a.height() != b.height()) {
                throw new FormatException(file, "frame size changes within clip " + index);
            }
            SampledClip c = new SampledClip(clip, start, end, seen.size(), new long[] {minPts, maxPts}, List.of(a, b));
            release();
            return c;
        }

        void release() {
            free(first);
            free(last);
            first = last = null;
        }

        private static void free(AVFrame f) {
            if (f != null) av_frame_free(f);
        }
    }
}
