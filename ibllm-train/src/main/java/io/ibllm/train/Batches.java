package io.ibllm.train;

import java.util.Random;

/**
 * Which examples form iteration i's batch. The order of an epoch is a permutation drawn from
 * (seed, epoch) alone, so a resumed run sees exactly the batches a straight run would; the
 * last incomplete batch of an epoch is dropped (DataLoader drop_last), unless the whole data
 * set is smaller than one batch.
 */
public final class Batches {
    private final int count;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;

    public Batches(int count, int batchSize, long seed, boolean shuffle) {
        if (count == 0) throw new IllegalArgumentException("no training examples");
        this.count = count;
        this.batchSize = Math.min(batchSize, count);
        this.seed = seed;
        this.shuffle = shuffle;
    }

    public int perEpoch() { return count / batchSize; }

    public int batchSize() { return batchSize; }

    /** Fractional epoch of iteration i, as the reference's data_iter_step / len + epoch. */
    public double epochOf(long iteration) { return (double) iteration / perEpoch(); }

    /** Example indices of iteration i. */
    public int[] at(long iteration) {
        long epoch = iteration / perEpoch();
        int pos = (int) (iteration % perEpoch());
        int[] order = order(epoch);
        int[] batch = new int[batchSize];
        System.arraycopy(order, pos * batchSize, batch, 0, batchSize);
        return batch;
    }

    int[] order(long epoch) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        if (!shuffle) return order;
        Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = count - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The generator of example {@code index}'s random crop in {@code epoch}. */
    public Random cropRandom(long epoch, int index) {
        return new Random((seed + 1) * 0xBF58476D1CE4E5B9L + epoch * 1_000_003L + index);
    }
}
