package io.ibllm.cli;

import io.ibllm.tensor.VectorSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ibllm} command. Subcommands live one per file in this package. */
@Command(name = "ibllm", mixinStandardHelpOptions = true, version = "ibllm 0.1.0",
        description = "ImageBind-LLM on the JVM: multimodal instruction following in pure Java.",
        subcommands = {InspectCommand.class, BenchCommand.class, CacheCommand.class, TokenizeCommand.class, GenerateCommand.class, ChatCommand.class, DemoCommand.class, TrainCommand.class, EmbedCommand.class, PreprocessCommand.class, ConvertCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Option(names = "--verbose", description = "Print stack traces on errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        // library warnings (java.util.logging) as one "ibllm: WARNING: ..." line
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "ibllm: %4$s: %5$s%n");
        }
        VectorSupport.warnIfSlow(System.err);
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean verbose = parsed.hasMatchedOption("--verbose");
            if (verbose) ex.printStackTrace(cmd.getErr());
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            cmd.getErr().println("ibllm: " + msg.lines().findFirst().orElse(msg));
            return 1;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli passes Errors through; a model or batch too large for the heap is a user's problem to fix
            System.err.println("ibllm: out of memory (" + e.getMessage() + "): give the JVM more with IBLLM_JAVA_OPTS=-Xmx<size>"
                    + " (or -XX:MaxDirectMemorySize for weights), or use a smaller model, batch or --layers");
            return 1;
        }
    }
}
