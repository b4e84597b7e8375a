package io.ibllm.tensor;

/** Started in a child JVM by {@link VectorSupportTest}: asks for the warning three times. */
public final class VectorSupportProbe {
    private VectorSupportProbe() {}

    public static void main(String[] args) {
        for (int i = 0; i < 3; i++) VectorSupport.warnIfSlow(System.err);
    }
}
