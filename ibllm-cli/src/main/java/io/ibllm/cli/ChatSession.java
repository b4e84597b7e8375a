package io.ibllm.cli;

import io.ibllm.api.CacheSettings;
import io.ibllm.api.ImageBindLLM;
import io.ibllm.api.Input;
import io.ibllm.api.Request;
import io.ibllm.api.Result;
import io.ibllm.api.Sampling;
import io.ibllm.api.TokenListener;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The state and commands of {@code ibllm chat}: the current weighted inputs (embedded once, when
 * added), whether the cache is on, and one answer per question line, streamed token by token.
 * Every question is a fresh single-turn instruction over the current inputs.
 */
final class ChatSession {
    static final String HELP = """
            Type a question to ask it about the current inputs; the answer streams as it is generated.
              /image F [W]   /video F [W]   /audio F [W]   /points F [W]
              /depth F [W]   /thermal F [W] /imu F [W]     add a media file (optional weight W, default 1)
              /text S [W]    add a text, embedded by ImageBind (a trailing number is taken as its weight)
              /inputs        list the inputs        /clear   remove them all
              /cache on|off  blend the inputs with the visual cache (needs --cache)
              /help          this text              /quit    leave (so does end of input)
            Each question is answered on its own: the model was tuned on single turns, so it does not
            see earlier questions or answers. Without inputs it answers as an instruction-tuned LLaMA.""";

    /** An input as the user gave it, with its embedding computed when it was added. */
    private record Entry(String label, Input embedded) {}

    private final ImageBindLLM model;
    private final PrintWriter out;
    private final CacheSettings cacheSettings;
    private final Sampling sampling;
    private final List<Entry> inputs = new ArrayList<>();
    private boolean cacheOn;

    ChatSession(ImageBindLLM model, PrintWriter out, CacheSettings cacheSettings, Sampling sampling) {
        this.model = model;
        this.out = out;
        this.cacheSettings = cacheSettings;
        this.sampling = sampling;
        this.cacheOn = cacheSettings.enabled();
    }

    /** Handles one line; false when the session should end. Errors are reported and the session goes on. */
    boolean handle(String line) {
        String s = line.strip();
        if (s.isEmpty()) return true;
        try {
            if (!s.startsWith("/")) {
                answer(s);
                return true;
            }
            return command(s);
        } catch (RuntimeException e) {
            out.println("ibllm: " + (e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("")));
            out.flush();
            return true;
        }
    }

    private boolean command(String s) {
        String[] parts = s.split("\\s+", 2);
        String name = parts[0].substring(1).toLowerCase(Locale.ROOT);
        String arg = parts.length > 1 ? parts[1].strip() : "";
        switch (name) {
            case "quit", "exit" -> { return false; }
            case "help" -> out.println(HELP);
            case "inputs" -> list();
            case "clear" -> {
                inputs.clear();
                out.println("inputs cleared");
            }
            case "cache" -> cache(arg);
            case "image", "video", "audio", "points", "depth", "thermal", "imu", "text" -> add(Input.Kind.of(name), arg);
            default -> out.println("ibllm: unknown command /" + name + "; /help lists the commands");
        }
        out.flush();
        return true;
    }

    private void add(Input.Kind kind, String arg) {
        if (arg.isEmpty()) throw new IllegalArgumentException("/" + kind.label() + " needs " + (kind == Input.Kind.TEXT ? "a text" : "a file"));
        float weight = 1f;
        int cut = arg.lastIndexOf(' ');
        if (cut > 0) {
            try {
                weight = Float.parseFloat(arg.substring(cut + 1));
                arg = arg.substring(0, cut).strip();
            } catch (NumberFormatException notAWeight) {
                // the last word is part of the file name or text
            }
        }
        Input in;
        if (kind == Input.Kind.TEXT) {
            in = Input.text(arg).weight(weight);
        } else {
            Path file = Path.of(arg);
            if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such file");
            in = Input.of(kind, file).weight(weight);
        }
        long t0 = System.nanoTime();
        float[] e = model.embed(List.of(in)).getFirst();
        inputs.add(new Entry(in.describe(), Input.embedding(e).weight(weight)));
        out.printf("added %s (embedded in %.0f ms)%n", in.describe(), (System.nanoTime() - t0) / 1e6);
    }

    private void list() {
        if (inputs.isEmpty()) out.println("no inputs: questions are answered as by an instruction-tuned LLaMA");
        for (int i = 0; i < inputs.size(); i++) out.printf("%d. %s%n", i + 1, inputs.get(i).label());
        out.println("cache " + (cacheOn ? "on" : "off"));
    }

    private void cache(String arg) {
        switch (arg.toLowerCase(Locale.ROOT)) {
            case "on" -> {
                if (!model.hasCache()) throw new IllegalArgumentException("no visual cache loaded: start chat with --cache FILE");
                cacheOn = true;
            }
            case "off" -> cacheOn = false;
            default -> throw new IllegalArgumentException("/cache takes on or off");
        }
        out.println("cache " + (cacheOn ? "on" : "off"));
    }

    private void answer(String question) {
        Request.Builder b = Request.builder(question).sampling(sampling)
                .cache(cacheSettings.enabled(cacheOn && !inputs.isEmpty()));
        for (Entry e : inputs) b.add(e.embedded());
        Result r = model.generate(b.build(), TokenListener.printingTo(out));
        out.printf("[%d tokens, %.1f tokens/s%s]%n", r.ids().length, r.timings().decodeTokensPerSecond(),
                r.stoppedAtEos() ? "" : ", stopped at the token limit");
        out.flush();
    }
}
