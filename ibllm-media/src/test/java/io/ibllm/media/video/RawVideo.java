package io.ibllm.media.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Test helper: writes n uncompressed BGR24 frames into a container (AVI, MKV, ...) at a given
 * frame rate; frame k is flat gray {@code 16 + k % 220}, so a decoded frame tells which one it was.
 */
final class RawVideo {
    private RawVideo() {}

    static int luma(int k) {
        return 16 + k % 220;
    }

    static void write(Path out, int w, int h, int n, int fps) {
        AVFormatContext oc = new AVFormatContext(null);
        ok(avformat_alloc_output_context2(oc, null, null, out.toString()), "alloc");
        AVStream st = avformat_new_stream(oc, null);
        st.codecpar().codec_type(AVMEDIA_TYPE_VIDEO).codec_id(AV_CODEC_ID_RAWVIDEO).format(AV_PIX_FMT_BGR24).width(w).height(h).bits_per_coded_sample(24);
        AVRational tb = new AVRational().num(1).den(fps);
        st.time_base(tb);
        AVIOContext pb = new AVIOContext(null);
        ok(avio_open(pb, out.toString(), AVIO_FLAG_WRITE), "open");
        oc.pb(pb);
        ok(avformat_write_header(oc, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "header");
        byte[] frame = new byte[w * h * 3];
        AVPacket pkt = av_packet_alloc();
        for (int k = 0; k < n; k++) {
            java.util.Arrays.fill(frame, (byte) luma(k));
            ok(av_new_packet(pkt, frame.length), "packet");
            pkt.data().put(frame, 0, frame.length);
            pkt.pts(k).dts(k).duration(1).stream_index(0);
            pkt.flags(pkt.flags() | AV_PKT_FLAG_KEY);
            av_packet_rescale_ts(pkt, tb, st.time_base());
            ok(av_interleaved_write_frame(oc, pkt), "write");
        }
        ok(av_write_trailer(oc), "trailer");
        av_packet_free(pkt);
        avio_closep(oc.pb());
        avformat_free_context(oc);
    }

    private static void ok(int r, String what) {
        if (r < 0) throw new IllegalStateException("raw video " + what + " failed: " + r);
    }
}
