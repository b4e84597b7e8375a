package io.ibllm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ibllm bench ...}: throughput measurements (one subcommand per component). */
@Command(name = "bench", description = "Benchmarks.", subcommands = {BenchEncodersCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }
}
