package io.ibllm.media.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import io.ibllm.io.FormatException;
import io.ibllm.media.Fraction;
import io.ibllm.media.image.Image8;
import io.ibllm.media.image.ImageDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;

/**
 * The first video stream of a container, decoded with FFmpeg (JavaCPP presets) the way
 * PyAV 10 hands frames to pytorchvideo: frames in presentation order, {@code frame.pts} in
 * the stream time base, RGB through swscale ({@code to_rgb()}: rgb24, SWS_BILINEAR, default
 * colourspace and range). Every FFmpeg error code becomes a one-line {@link FormatException}
 * naming the file; the frame size is checked against the pixel cap before decoding.
 */
public final class VideoDecoder implements AutoCloseable {
    private static final int EAGAIN = -11; // AVERROR(EAGAIN) on Linux

    /** Header facts: time base, stream start (pts), duration (pts, or -1 when absent), size. */
    public record Info(Fraction timeBase, long startPts, long durationPts, int width, int height) {}

    /** Receives decoded frames; return false to stop decoding. */
    @FunctionalInterface
    public interface FrameVisitor {
        boolean frame(long pts, AVFrame frame);
    }

    static {
        av_log_set_level(AV_LOG_QUIET); // errors reach the user through return codes, one line each
    }

    private final Path file;
    private AVFormatContext fmt;
    private AVCodecContext codec;
    private SwsContext sws;
    private final int streamIndex;
    private final Info info;

    private VideoDecoder(Path file) {
        this.file = file;
        try {
            streamIndex = openStream();
            info = readInfo();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private int openStream() {
        fmt = new AVFormatContext(null);
        // local files only: a playlist-like input (HLS, DASH, ...) must not make FFmpeg open URLs
        AVDictionary opts = new AVDictionary(null);
        av_dict_set(opts, "protocol_whitelist", "file", 0);
        int r = avformat_open_input(fmt, file.toAbsolutePath().toString(), null, opts);
        av_dict_free(opts);
        check(r, "cannot open as a video container");
        check(avformat_find_stream_info(fmt, (AVDictionary) null), "cannot read stream information");
        int index = firstVideoStream();
        AVStream st = fmt.streams(index);
        AVCodecParameters par = st.codecpar();
        ImageDecoder.checkFrameSize(file, par.width(), par.height());
        AVCodec dec = avcodec_find_decoder(par.codec_id());
        if (dec == null) throw new FormatException(file, "unsupported video codec (" + avcodec_get_name(par.codec_id()).getString() + ")");
        codec = avcodec_alloc_context3(dec);
        check(avcodec_parameters_to_context(codec, par), "bad codec parameters");
        codec.thread_count(Math.min(4, Runtime.getRuntime().availableProcessors())); // frame threads are bit-exact
        check(avcodec_open2(codec, dec, (AVDictionary) null), "cannot open the video decoder");
        return index;
    }

    private Info readInfo() {
        AVStream st = fmt.streams(streamIndex);
        AVCodecParameters par = st.codecpar();
        if (st.time_base().num() <= 0 || st.time_base().den() <= 0) throw new FormatException(file, "video stream has no valid time base");
        Fraction tb = Fraction.of(st.time_base().num(), st.time_base().den());
        long start = st.start_time() == AV_NOPTS_VALUE ? 0 : st.start_time();
        long duration = st.duration() == AV_NOPTS_VALUE || st.duration() <= 0 ? -1 : st.duration();
        return new Info(tb, start, duration, par.width(), par.height());
    }

    public static VideoDecoder open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new FormatException(file, Files.exists(file) ? "not a regular file" : "no such file");
        }
        if (!Files.isReadable(file)) throw new FormatException(file, "cannot read (permission denied)");
        try {
            if (Files.size(file) == 0) throw new FormatException(file, "empty file");
        } catch (java.io.IOException e) {
            throw new FormatException(file, "cannot read (" + e.getMessage() + ")");
        }
        return new VideoDecoder(file);
    }

    public Info info() { return info; }

    private int firstVideoStream() {
        for (int i = 0; i < fmt.nb_streams(); i++) {
            if (fmt.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) return i;
        }
        throw new FormatException(file, "no video stream found");
    }

    /** Decodes from the start; frames without a pts get their best-effort timestamp. */
    public void decode(FrameVisitor visitor) {
        AVPacket pkt = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        try {
            boolean go = true;
            while (go) {
                int r = av_read_frame(fmt, pkt);
                if (r == AVERROR_EOF) break;
                check(r, "cannot read packet");
                if (pkt.stream_index() == streamIndex) {
                    check(avcodec_send_packet(codec, pkt), "corrupt video data");
                    go = drain(frame, visitor);
                }
                av_packet_unref(pkt);
            }
            if (go) {
                check(avcodec_send_packet(codec, null), "cannot flush the decoder");
                drain(frame, visitor);
            }
        } finally {
            av_packet_free(pkt);
            av_frame_free(frame);
        }
    }

    private boolean drain(AVFrame frame, FrameVisitor visitor) {
        while (true) {
            int r = avcodec_receive_frame(codec, frame);
            if (r == EAGAIN || r == AVERROR_EOF) return true;
            check(r, "corrupt video data");
            long pts = frame.pts() != AV_NOPTS_VALUE ? frame.pts() : frame.best_effort_timestamp();
            if (pts == AV_NOPTS_VALUE) throw new FormatException(file, "decoded frame has no timestamp");
            boolean go = visitor.frame(pts, frame);
            av_frame_unref(frame);
            if (!go) return false;
        }
    }

    /** A decoded frame as 8-bit RGB, as PyAV's {@code frame.to_rgb().to_ndarray()}. */
    public Image8 toRgb(AVFrame f) {
        int w = f.width(), h = f.height();
        ImageDecoder.checkFrameSize(file, w, h);
        sws = sws_getCachedContext(sws, w, h, f.format(), w, h, AV_PIX_FMT_RGB24, SWS_BILINEAR, null, null, (DoublePointer) null);
        if (sws == null) throw new FormatException(file, "cannot convert pixel format " + f.format() + " to RGB");
        AVFrame rgb = av_frame_alloc();
        try {
            rgb.width(w).height(h).format(AV_PIX_FMT_RGB24);
            check(av_frame_get_buffer(rgb, 0), "out of memory for a " + w + "x" + h + " frame");
            check(sws_scale(sws, f.data(), f.linesize(), 0, h, rgb.data(), rgb.linesize()), "pixel format conversion failed");
            byte[] out = new byte[w * h * 3];
            BytePointer p = rgb.data(0);
            int stride = rgb.linesize(0);
            for (int y = 0; y < h; y++) p.position((long) y * stride).get(out, y * w * 3, w * 3);
            return new Image8(w, h, 3, out);
        } finally {
            av_frame_free(rgb);
        }
    }

    private void check(int r, String what) {
        if (r >= 0) return;
        byte[] buf = new byte[256];
        av_strerror(r, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        String msg = new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
        close();
        throw new FormatException(file, what + " (" + msg + ")");
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (codec != null) {
            avcodec_free_context(codec);
            codec = null;
        }
        if (fmt != null) {
            if (!fmt.isNull()) avformat_close_input(fmt);
            fmt = null;
        }
    }
}
