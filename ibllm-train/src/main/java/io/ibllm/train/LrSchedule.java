package io.ibllm.train;

/**
 * Learning rate per iteration at a fractional epoch: linear warm-up, then a half-cycle cosine
 * down to minLr (util/lr_sched.adjust_learning_rate), or constant after warm-up.
 */
public record LrSchedule(double lr, double minLr, double warmupEpochs, double epochs, boolean cosine) {

    public double at(double epoch) {
        if (epoch < warmupEpochs) return lr * epoch / warmupEpochs;
        if (!cosine) return lr;
        return minLr + (lr - minLr) * 0.5 * (1.0 + Math.cos(Math.PI * (epoch - warmupEpochs) / (epochs - warmupEpochs)));
    }

    /** The reference's absolute lr from a base lr: blr · effective batch / 256. */
    public static double fromBase(double blr, int effectiveBatch) {
        return blr * effectiveBatch / 256.0;
    }
}
