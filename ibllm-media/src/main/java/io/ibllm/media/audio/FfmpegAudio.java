package io.ibllm.media.audio;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.ibllm.io.FormatException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * Compressed audio (MP3, FLAC, Ogg Vorbis/Opus, AAC/M4A, ...) decoded with FFmpeg (JavaCPP
 * presets): the first audio stream, all channels, native sample rate, scaled like the WAV path
 * (int16/2^15, int32/2^31, uint8 (x-128)/128, float clamped to [-1, 1]). Lossless input (FLAC)
 * therefore gives exactly the samples of the same audio as WAV; lossy codecs depend on the
 * decoder, as they do for torchaudio. The decoded length is capped (see {@link #MAX_SAMPLES}).
 */
final class FfmpegAudio {
    /** At most this many decoded samples over all channels (1 GiB of floats, ~45 min of 48 kHz stereo). */
    static final long MAX_SAMPLES = 1L << 28;
    private static final int EAGAIN = -11; // AVERROR(EAGAIN) on Linux

    static {
        av_log_set_level(AV_LOG_QUIET); // errors reach the user through return codes, one line each
    }

    private final Path file;
    private AVFormatContext fmt;
    private AVCodecContext codec;
    private int stream, channels, rate;
    private float[][] samples;
    private int frames;

    private FfmpegAudio(Path file) {
        this.file = file;
    }

    /** Decodes the whole first audio stream. */
    static Pcm decode(Path file) {
        FfmpegAudio a = new FfmpegAudio(file);
        try {
            a.open();
            a.run();
            if (a.frames == 0) throw new FormatException(file, "audio stream decodes to no samples");
            float[][] out = new float[a.channels][];
            for (int c = 0; c < out.length; c++) out[c] = java.util.Arrays.copyOf(a.samples[c], a.frames);
            return Pcm.of(out, a.rate);
        } finally {
            a.close();
        }
    }

    private void open() {
        fmt = new AVFormatContext(null);
        check(avformat_open_input(fmt, file.toAbsolutePath().toString(), null, null), "not a recognised audio file");
        check(avformat_find_stream_info(fmt, (AVDictionary) null), "cannot read stream information");
        stream = -1;
        for (int i = 0; i < fmt.nb_streams() && stream < 0; i++) {
            if (fmt.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_AUDIO) stream = i;
        }
        if (stream < 0) throw new FormatException(file, "no audio stream found");
        AVCodecParameters par = fmt.streams(stream).codecpar();
        AVCodec dec = avcodec_find_decoder(par.codec_id());
        if (dec == null) throw new FormatException(file, "unsupported audio codec (" + avcodec_get_name(par.codec_id()).getString() + ")");
        codec = avcodec_alloc_context3(dec);
        check(avcodec_parameters_to_context(codec, par), "bad audio codec parameters");
        check(avcodec_open2(codec, dec, (AVDictionary) null), "cannot open the audio decoder");
    }

    private void run() {
        AVPacket pkt = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        try {
            while (true) {
                int r = av_read_frame(fmt, pkt);
                if (r == AVERROR_EOF) break;
                check(r, "cannot read audio packet");
                if (pkt.stream_index() == stream) {
                    check(avcodec_send_packet(codec, pkt), "corrupt audio data");
                    drain(frame);
                }
                av_packet_unref(pkt);
            }
            check(avcodec_send_packet(codec, null), "cannot flush the audio decoder");
            drain(frame);
        } finally {
            av_packet_free(pkt);
            av_frame_free(frame);
        }
    }

    private void drain(AVFrame f) {
        while (true) {
            int r = avcodec_receive_frame(codec, f);
            if (r == EAGAIN || r == AVERROR_EOF) return;
            check(r, "corrupt audio data");
            append(f);
            av_frame_unref(f);
        }
    }

    private void append(AVFrame f) {
        int ch = f.ch_layout().nb_channels(), n = f.nb_samples();
        if (samples == null) {
            if (ch < 1 || ch > 256) throw new FormatException(file, "audio has " + ch + " channels");
            if (f.sample_rate() < 1 || f.sample_rate() > 1 << 22) throw new FormatException(file, "audio has sample rate " + f.sample_rate());
            channels = ch;
            rate = f.sample_rate();
            samples = new float[ch][Math.max(n, 1024)];
        }
        if (ch != channels || f.sample_rate() != rate) throw new FormatException(file, "channel count or sample rate changes inside the stream");
        if ((long) (frames + n) * channels > MAX_SAMPLES) {
            throw new FormatException(file, "decoded audio is too long (over " + MAX_SAMPLES / channels / rate + " s); cut it first");
        }
        if (frames + n > samples[0].length) {
            int cap = (int) Math.min(Math.max(2L * samples[0].length, frames + n), Integer.MAX_VALUE - 8);
            for (int c = 0; c < channels; c++) samples[c] = java.util.Arrays.copyOf(samples[c], cap);
        }
        int format = f.format();
        boolean planar = av_sample_fmt_is_planar(format) != 0;
        for (int c = 0; c < channels; c++) {
            BytePointer p = planar ? f.extended_data(c) : f.extended_data(0);
            int stride = planar ? 1 : channels, first = planar ? 0 : c;
            convert(format, p, first, stride, n, samples[c], frames);
        }
        frames += n;
    }

    /** Samples first, first + stride, ... of one plane, scaled as the WAV reader scales them. */
    private void convert(int format, BytePointer p, int first, int stride, int n, float[] dst, int at) {
        int total = first + (n - 1) * stride + 1;
        switch (av_get_packed_sample_fmt(format)) {
            case AV_SAMPLE_FMT_U8 -> {
                byte[] b = new byte[total];
                p.get(b);
                for (int i = 0; i < n; i++) dst[at + i] = (Byte.toUnsignedInt(b[first + i * stride]) - 128) / 128f;
            }
            case AV_SAMPLE_FMT_S16 -> {
                short[] s = new short[total];
                new ShortPointer(p).get(s);
                for (int i = 0; i < n; i++) dst[at + i] = s[first + i * stride] / 32768f;
            }
            case AV_SAMPLE_FMT_S32 -> {
                int[] s = new int[total];
                new IntPointer(p).get(s);
                for (int i = 0; i < n; i++) dst[at + i] = s[first + i * stride] / 2147483648f;
            }
            case AV_SAMPLE_FMT_FLT -> {
                float[] s = new float[total];
                new FloatPointer(p).get(s);
                for (int i = 0; i < n; i++) dst[at + i] = clamp(s[first + i * stride]);
            }
            case AV_SAMPLE_FMT_DBL -> {
                double[] s = new double[total];
                new DoublePointer(p).get(s);
                for (int i = 0; i < n; i++) dst[at + i] = clamp((float) s[first + i * stride]);
            }
            default -> throw new FormatException(file, "unsupported decoded sample format " + av_get_sample_fmt_name(format).getString());
        }
    }

    private static float clamp(float x) {
        return x != x ? x : Math.max(-1f, Math.min(1f, x));
    }

    private void check(int r, String what) {
        if (r >= 0) return;
        byte[] buf = new byte[256];
        av_strerror(r, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        throw new FormatException(file, what + " (" + new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + ")");
    }

    private void close() {
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
