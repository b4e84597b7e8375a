package io.ibllm.media.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;

/** Test helper: copies the video stream of a file into another container (no re-encoding). */
final class Remux {
    private Remux() {}

    static void copy(Path in, Path out) {
        AVFormatContext ic = new AVFormatContext(null), oc = new AVFormatContext(null);
        ok(avformat_open_input(ic, in.toString(), null, null), "open");
        ok(avformat_find_stream_info(ic, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "info");
        ok(avformat_alloc_output_context2(oc, null, null, out.toString()), "alloc output");
        AVStream is = ic.streams(0), os = avformat_new_stream(oc, null);
        ok(avcodec_parameters_copy(os.codecpar(), is.codecpar()), "params");
        os.codecpar().codec_tag(0);
        AVIOContext pb = new AVIOContext(null);
        ok(avio_open(pb, out.toString(), AVIO_FLAG_WRITE), "avio_open");
        oc.pb(pb);
        ok(avformat_write_header(oc, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "header");
        AVPacket pkt = av_packet_alloc();
        while (av_read_frame(ic, pkt) >= 0) {
            if (pkt.stream_index() == 0) {
                av_packet_rescale_ts(pkt, is.time_base(), os.time_base());
                pkt.stream_index(0).pos(-1);
                ok(av_interleaved_write_frame(oc, pkt), "write");
            }
            av_packet_unref(pkt);
        }
        ok(av_write_trailer(oc), "trailer");
        av_packet_free(pkt);
        avio_closep(oc.pb());
        avformat_free_context(oc);
        avformat_close_input(ic);
    }

    private static void ok(int r, String what) {
        if (r < 0) throw new IllegalStateException("remux " + what + " failed: " + r);
    }
}
