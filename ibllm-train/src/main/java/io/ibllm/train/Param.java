package io.ibllm.train;

import java.util.Arrays;

/** A trainable tensor: its state-dict name, shape, fp32 values and accumulated gradient. */
public final class Param {
    private final String name;
    private final long[] shape;
    public final float[] data;
    public final float[] grad;

    /** A trainable parameter (gradient allocated). */
    public Param(String name, long[] shape, float[] data) {
        this(name, shape, data, true);
    }

    /** A parameter that is trainable or frozen; a frozen one has no gradient buffer (grad == null). */
    public Param(String name, long[] shape, float[] data, boolean trainable) {
        long n = 1;
        for (long d : shape) n *= d;
        if (n != data.length) throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " vs " + data.length + " values");
        this.name = name;
        this.shape = shape.clone();
        this.data = data;
        this.grad = trainable ? new float[data.length] : null;
    }

    public String name() { return name; }
    public long[] shape() { return shape.clone(); }
    public int size() { return data.length; }

    /** AdamW's rule (misc.add_weight_decay): no decay for 1-D tensors and names ending in ".bias". */
    public boolean decayed() { return shape.length > 1 && !name.endsWith(".bias"); }

    public boolean trainable() { return grad != null; }

    public void zeroGrad() {
        if (grad != null) Arrays.fill(grad, 0f);
    }
}
