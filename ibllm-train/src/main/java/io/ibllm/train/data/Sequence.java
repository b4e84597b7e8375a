package io.ibllm.train.data;

/**
 * The reference's training sequence (both stages): input2 = BOS + prompt + answer + EOS padded
 * with -1 or cut to maxWords; labels = input2 with the first len(input1) positions set to -1;
 * then every -1 becomes 0 (padding = token 0, label 0 = ignored).
 */
public record Sequence(long[] tokens, long[] labels, float[] mask) {

    public static Sequence build(int[] promptIds, int[] fullIds, int maxWords) {
        long[] tokens = new long[maxWords], labels = new long[maxWords];
        float[] mask = new float[maxWords];
        for (int i = 0; i < maxWords; i++) {
            long id = i < fullIds.length ? fullIds[i] : -1;
            tokens[i] = Math.max(id, 0);
            mask[i] = id >= 0 ? 1f : 0f;
            labels[i] = i < promptIds.length ? 0 : Math.max(id, 0);
        }
        return new Sequence(tokens, labels, mask);
    }

    public int targets() {
        int n = 0;
        for (long l : labels) if (l != 0) n++;
        return n;
    }
}
