package io.ibllm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ibllm cache build|info}: the visual cache (spec §4) as FAISS IndexFlatIP files. */
@Command(name = "cache", description = "Build or describe a visual cache (a FAISS flat index of ImageBind image embeddings).",
        subcommands = {CacheBuildCommand.class, CacheInfoCommand.class})
public final class CacheCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
