package io.ibllm.cli;

import io.ibllm.api.ImageBindLLM;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ibllm chat}: an interactive session over a loaded model. On a terminal lines are read
 * with JLine (editing, history); otherwise plain lines from stdin, so a session can be scripted
 * by piping commands in.
 */
@Command(name = "chat", sortOptions = false,
        description = {"Interactive session: add inputs with /image, /audio, ... and ask questions; answers stream token by token.",
                "Type /help in the session for the commands. Each question is answered on its own (single turn)."})
public final class ChatCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin AnswerOptions answer;

    @Option(names = "--cache-on", description = "Start with the cache blend on (needs --cache).")
    boolean cacheOn;

    @Override
    public Integer call() throws IOException {
        if (cacheOn && model.cache == null) throw new IllegalArgumentException("--cache-on needs --cache FILE");
        try (ImageBindLLM llm = ImageBindLLM.load(model.files())) {
            boolean terminal = System.console() != null && System.console().isTerminal();
            if (terminal) interactive(llm);
            else piped(llm);
        }
        return 0;
    }

    private ChatSession session(ImageBindLLM llm, PrintWriter out) {
        return new ChatSession(llm, out, answer.cache(cacheOn), answer.sampling());
    }

    /** Lines from stdin, answers to stdout; no prompt is echoed. */
    private void piped(ImageBindLLM llm) throws IOException {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        ChatSession s = session(llm, out);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (!s.handle(line)) break;
        }
        out.flush();
    }

    /** JLine: line editing and history (kept in ~/.ibllm_history); Ctrl-D leaves, Ctrl-C drops the current line. */
    private void interactive(ImageBindLLM llm) throws IOException {
        try (Terminal t = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(t).appName("ibllm")
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".ibllm_history")).build();
            PrintWriter out = t.writer();
            out.println("ibllm chat: /help for commands, /quit to leave. " + (llm.canEmbedMedia() ? "" : "(no --imagebind: media inputs are off)"));
            ChatSession s = session(llm, out);
            while (true) {
                String line;
                try {
                    line = reader.readLine("> ");
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                if (!s.handle(line)) break;
            }
        }
    }
}
