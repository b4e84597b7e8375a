package io.ibllm.tensor;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Checks that the Vector API is compiled to SIMD on this JVM. Without C2 (e.g. -Xint, C1 only,
 * or a JVM without a JIT) or on a CPU with under 256-bit vectors, the kernels still run but
 * 10-50x slower, so the CLI warns once at start-up and says how to fix it.
 */
public final class VectorSupport {
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private VectorSupport() {}

    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** Why the Vector API would be slow here, or null if it looks fine. */
    public static String problem() {
        return problem(F.length(), System.getProperty("java.vm.info", ""), System.getProperty("java.vm.name", ""),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The decision, from its inputs (tests feed it JVMs they cannot start). */
    static String problem(int floatLanes, String vmInfo, String vmName, List<String> jvmArgs) {
        if (floatLanes < 8) {
            return "the preferred float vector has " + floatLanes + " lanes (no 256-bit SIMD on this CPU/JVM), so the kernels run scalar";
        }
        if (vmInfo.toLowerCase().contains("interpreted")) return "the JVM runs in interpreted mode (-Xint)";
        String vm = vmName.toLowerCase();
        if (vm.contains("zero") || vm.contains("interpreted")) return "this JVM (" + vmName + ") has no JIT compiler";
        for (String arg : jvmArgs) {
            if (arg.equals("-Xint") || arg.equals("-XX:-UseCompiler") || arg.equals("-XX:-UseSuperWord")
                    || arg.startsWith("-XX:UseAVX=0") || arg.equals("-client")) {
                return "the JVM runs with " + arg + ", which disables the C2 vector intrinsics";
            }
            if (arg.startsWith("-XX:TieredStopAtLevel=")) {
                String level = arg.substring("-XX:TieredStopAtLevel=".length());
                if (!level.equals("4")) return "the JVM runs with " + arg + " (C1 only: no vector intrinsics)";
            }
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
