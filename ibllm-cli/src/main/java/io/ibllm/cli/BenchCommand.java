package io.ibllm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ibllm bench ...}: benchmarks (never tests). Each subcommand lives in its own file and is
 * listed here, each with --json; results are ratios against the machine's limits measured in
 * the same run (memory bandwidth, FMA peak) and against peers (docs/PERFORMANCE.md).
 */
@Command(name = "bench", description = "Measure speed against the machine's limits (memory bandwidth, FMA peak).",
        subcommands = {BenchKernelsCommand.class, BenchLlmCommand.class, BenchEncodersCommand.class, BenchCacheCommand.class,
                BenchTrainCommand.class, BenchMemoryCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
