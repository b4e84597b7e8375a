package io.ibllm.media.audio;

import io.ibllm.io.FormatException;
import io.ibllm.io.Mapped;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A RIFF/WAVE file read in place (memory-mapped): PCM 8-bit unsigned, 16/24/32-bit signed,
 * IEEE float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE, any channel count. Values are scaled
 * as torchaudio.load(normalize=True) scales them: int16/2^15, 24-bit/2^23, int32/2^31,
 * uint8 (x-128)/128; float samples are clamped to [-1, 1] as sox's float-to-int conversion
 * (the torchaudio 0.13 sox_io backend) does. Every chunk size is checked against the file; a
 * data size of 0 or 0xFFFFFFFF (written by streaming encoders) means "to the end of the file".
 */
public final class WavFile implements Pcm, AutoCloseable {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int PCM = 1, IEEE_FLOAT = 3, EXTENSIBLE = 0xFFFE;
    private static final int MAX_CHANNELS = 256;
    private static final int MAX_RATE = 1 << 22;

    /** A WAV whose samples are not PCM/float (mu-law, A-law, ADPCM, MP3-in-WAV, ...): FFmpeg's job. */
    static final class OtherCodec extends FormatException {
        OtherCodec(Path path, int tag) {
            super(path, "unsupported WAV codec (format tag 0x" + Integer.toHexString(tag) + ")");
        }
    }

    /** How one sample is stored. */
    enum Encoding { U8, S16, S24, S32, F32, F64 }

    private final Mapped file;
    private final MemorySegment data;
    private final Encoding encoding;
    private final int channels, sampleRate, blockAlign, sampleBytes;
    private final long frames;

    private WavFile(Mapped file, MemorySegment data, Encoding encoding, int channels, int sampleRate, int blockAlign) {
        this.file = file;
        this.data = data;
        this.encoding = encoding;
        this.channels = channels;
        this.sampleRate = sampleRate;
        this.blockAlign = blockAlign;
        this.sampleBytes = blockAlign / channels;
        this.frames = data.byteSize() / blockAlign;
    }

    public static WavFile open(Path path) {
        Mapped m = Mapped.open(path);
        try {
            return parse(path, m);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private record Format(Encoding encoding, int channels, int sampleRate, int blockAlign) {}

    private static WavFile parse(Path path, Mapped m) {
        MemorySegment s = m.segment();
        long size = s.byteSize();
        String magic = size >= 4 ? fourCC(s, 0) : "";
        if (magic.equals("RIFX")) throw new FormatException(path, "big-endian (RIFX) WAV is not supported: convert to a little-endian WAV");
        if (magic.equals("RF64")) throw new FormatException(path, "RF64 WAV is not supported: convert to a plain WAV under 4 GB");
        if (size < 12 || !magic.equals("RIFF") || !fourCC(s, 8).equals("WAVE")) {
            throw new FormatException(path, "not a WAV file (no RIFF/WAVE header)");
        }
        Format fmt = null;
        long off = 12;
        while (size - off >= 8) {
            String id = fourCC(s, off);
            long len = Integer.toUnsignedLong(s.get(I32, off + 4));
            long body = off + 8;
            if (id.equals("data") && (len == 0 || len == 0xFFFFFFFFL)) len = size - body; // streamed WAV: size never filled in
            if (len > size - body) {
                throw new FormatException(path, "truncated WAV: chunk '" + printable(id) + "' declares " + len
                        + " bytes but only " + (size - body) + " remain");
            }
            if (id.equals("fmt ")) fmt = format(path, s.asSlice(body, len));
            if (id.equals("data")) {
                if (fmt == null) throw new FormatException(path, "WAV data chunk comes before its fmt chunk");
                if (len < fmt.blockAlign) throw new FormatException(path, "WAV file holds no audio samples");
                return new WavFile(m, s.asSlice(body, len - len % fmt.blockAlign), fmt.encoding, fmt.channels,
                        fmt.sampleRate, fmt.blockAlign);
            }
            off = body + len + (len & 1);
        }
        throw new FormatException(path, fmt == null ? "WAV file has no fmt chunk" : "WAV file has no data chunk");
    }

    private static Format format(Path path, MemorySegment f) {
        if (f.byteSize() < 16) throw new FormatException(path, "WAV fmt chunk is " + f.byteSize() + " bytes, need 16");
        int tag = Short.toUnsignedInt(f.get(I16, 0));
        int channels = Short.toUnsignedInt(f.get(I16, 2));
        long rate = Integer.toUnsignedLong(f.get(I32, 4));
        int blockAlign = Short.toUnsignedInt(f.get(I16, 12));
        int bits = Short.toUnsignedInt(f.get(I16, 14));
        if (tag == EXTENSIBLE) {
            if (f.byteSize() < 26) throw new FormatException(path, "WAVE_FORMAT_EXTENSIBLE fmt chunk is too short");
            tag = Short.toUnsignedInt(f.get(I16, 24)); // first two bytes of the sub-format GUID
        }
        if (channels < 1 || channels > MAX_CHANNELS) throw new FormatException(path, "WAV declares " + channels + " channels (1.." + MAX_CHANNELS + " supported)");
        if (rate < 1 || rate > MAX_RATE) throw new FormatException(path, "WAV declares sample rate " + rate + " Hz");
        Encoding enc = switch (tag) {
            case PCM -> switch (bits) {
                case 8 -> Encoding.U8;
                case 16 -> Encoding.S16;
                case 24 -> Encoding.S24;
                case 32 -> Encoding.S32;
                default -> throw new FormatException(path, "unsupported WAV PCM sample size " + bits + " bits (8/16/24/32 supported)");
            };
            case IEEE_FLOAT -> switch (bits) {
                case 32 -> Encoding.F32;
                case 64 -> Encoding.F64;
                default -> throw new FormatException(path, "unsupported WAV float sample size " + bits + " bits");
            };
            default -> throw new OtherCodec(path, tag);
        };
        if (blockAlign != channels * (bits / 8)) {
            throw new FormatException(path, "WAV block align " + blockAlign + " does not match " + channels + " channels of " + bits + " bits");
        }
        return new Format(enc, channels, (int) rate, blockAlign);
    }

    private static String fourCC(MemorySegment s, long off) {
        return new String(s.asSlice(off, 4).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
    }

    private static String printable(String id) {
        return id.chars().allMatch(c -> c >= 32 && c < 127) ? id : "?";
    }

    @Override public int channels() { return channels; }
    @Override public long frames() { return frames; }
    @Override public int sampleRate() { return sampleRate; }

    Encoding encoding() { return encoding; }

    @Override
    public float sample(int channel, long frame) {
        if (frame < 0 || frame >= frames) return 0f;
        long p = frame * blockAlign + (long) channel * sampleBytes;
        return switch (encoding) {
            case U8 -> (Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, p)) - 128) / 128f;
            case S16 -> data.get(I16, p) / 32768f;
            case S24 -> ((data.get(ValueLayout.JAVA_BYTE, p + 2) << 16) | (Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, p + 1)) << 8)
                    | Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, p))) / 8388608f;
            case S32 -> data.get(I32, p) / 2147483648f;
            case F32 -> clamp(data.get(F32, p));
            case F64 -> clamp((float) data.get(F64, p));
        };
    }

    private static float clamp(float x) {
        return x != x ? x : Math.max(-1f, Math.min(1f, x));
    }

    @Override
    public void close() {
        file.close();
    }
}
