package io.ibllm.media.audio;

/** Parameters of ImageBind's load_and_transform_audio_data. */
public record AudioConfig(int sampleRate, double clipDuration, int clipsPerVideo, int melBins, int targetLength,
                          float mean, float std) {
    /** The reference defaults: 16 kHz, 3 clips of 2 s, 128 mel bins x 204 frames, AudioSet mean/std. */
    public static final AudioConfig IMAGEBIND = new AudioConfig(16000, 2, 3, 128, 204, -4.268f, 9.138f);

    public AudioConfig withClipsPerVideo(int clips) {
        return new AudioConfig(sampleRate, clipDuration, clips, melBins, targetLength, mean, std);
    }
}
