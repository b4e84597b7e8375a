package io.ibllm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

subcommands = {BenchKernelsCommand.class, BenchTrainCommand.class, BenchLlmCommand.class, BenchEncodersCommand.class, BenchCacheCommand.class, CommandLine.HelpCommand.class})
}
