package io.ibllm.tensor;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Checks that the Vector API is compiled to SIMD on this JVM. Without C2 (e.g. -Xint, or a JVM
 * whose compiler lacks the vector intrinsics) the kernels still run, 10-50x slower.
 */
public final class VectorSupport {
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private VectorSupport() {}

    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** Why the Vector API would be slow here, or null if it looks fine. */
    public static String problem() {
        if (F.length() < 4) {
            return "the preferred float vector has " + F.length() + " lanes (no SIMD on this CPU/JVM)";
        }
        var mx = java.lang.management.ManagementFactory.getRuntimeMXBean();
        for (String arg : mx.getInputArguments()) {
            if (arg.equals("-Xint") || arg.startsWith("-XX:TieredStopAtLevel=1") || arg.equals("-XX:-UseSuperWord")
                    || arg.startsWith("-XX:UseAVX=0")) {
                return "the JVM runs with " + arg + ", which disables the C2 vector intrinsics";
            }
        }
        String vm = System.getProperty("java.vm.name", "");
        if (vm.toLowerCase().contains("interpreted") || vm.toLowerCase().contains("zero")) {
            return "this JVM (" + vm + ") has no JIT compiler";
        }
        return null;
    }

    /** Prints one warning per process if SIMD is unavailable. */
    public static void warnIfSlow(PrintStream err) {
        String p = problem();
        if (p != null && WARNED.compareAndSet(false, true)) {
            err.println("ibllm: warning: Vector API will not use SIMD: " + p
                    + "; run on a HotSpot JDK 25 with C2 (the default server VM) and without -Xint for full speed.");
        }
    }
}
