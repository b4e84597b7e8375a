package io.ibllm.bind;

import io.ibllm.io.AtomicFiles;
import io.ibllm.io.FormatException;
import io.ibllm.io.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resumable state of a cache build, kept beside the output OUT:
 * {@code OUT.partial} (the embeddings computed so far, float32 rows appended in order),
 * {@code OUT.partial.txt} (the image of each row, one name per line) and
 * {@code OUT.partial.json} (the model fingerprint and the dimension, so a re-run with another
 * model is refused instead of mixing embeddings). Rows are made durable before their names, so
 * after a crash a name always has its row; a row without a name, or a half-written line, is cut.
 */
final class CacheProgress implements AutoCloseable {
    private final Path out;
    private final FileChannel rows;
    private final FileChannel names;
    private final Map<String, Integer> done = new HashMap<>();
    private final String fingerprint;
    private int dim;
    private int rowCount;

    private CacheProgress(Path out, String fingerprint, FileChannel rows, FileChannel names, int dim) {
        this.out = out;
        this.fingerprint = fingerprint;
        this.rows = rows;
        this.names = names;
        this.dim = dim;
    }

    static Path sidecar(Path out, String suffix) { return out.resolveSibling(out.getFileName() + suffix); }

    /** Resumes the state left by an earlier run with the same fingerprint, or starts afresh. */
    static CacheProgress open(Path out, String fingerprint) {
        Path json = sidecar(out, ".partial.json");
        int dim = 0;
        boolean resume = Files.exists(json);
        if (resume) {
            Map<?, ?> m;
            try {
                m = (Map<?, ?>) Json.parse(Files.readString(json));
            } catch (IOException | RuntimeException e) {
                throw new FormatException(json, "unreadable progress file (" + e.getMessage() + "); delete " + out.getFileName() + ".partial* to start over");
            }
            if (!fingerprint.equals(m.get("fingerprint"))) {
                throw new FormatException(json, "this build was started with another model (" + m.get("fingerprint")
                        + "); use the same --imagebind, or delete " + out.getFileName() + ".partial* to start over");
            }
            dim = ((Number) m.get("dim")).intValue();
        }
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            FileChannel r = FileChannel.open(sidecar(out, ".partial"), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileChannel n = FileChannel.open(sidecar(out, ".partial.txt"), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            CacheProgress p = new CacheProgress(out, fingerprint, r, n, dim);
            if (resume) p.recover();
            else p.reset();
            return p;
        } catch (IOException e) {
            throw new FormatException(out, "cannot open the progress files: " + e.getMessage());
        }
    }

    private void reset() throws IOException {
        rows.truncate(0);
        names.truncate(0);
        writeJson();
    }

    /** Reads the names of complete rows and cuts anything written after the last complete row. */
    private void recover() throws IOException {
        byte[] text = new byte[Math.toIntExact(names.size())];
        names.read(ByteBuffer.wrap(text), 0);
        List<String> lines = new String(text, StandardCharsets.UTF_8).lines().toList();
        int complete = text.length > 0 && text[text.length - 1] != '\n' ? lines.size() - 1 : lines.size();
        long rowBytes = (long) dim * Float.BYTES;
        int n = dim == 0 ? 0 : (int) Math.min(complete, rows.size() / rowBytes);
        long keep = 0;
        for (int i = 0; i < n; i++) {
            done.putIfAbsent(lines.get(i), i);
            keep += lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
        }
        names.truncate(keep);
        rows.truncate(n * rowBytes);
        rowCount = n;
    }

    private void writeJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", fingerprint);
        m.put("dim", dim);
        AtomicFiles.write(sidecar(out, ".partial.json"), o -> o.write(Json.write(m).getBytes(StandardCharsets.UTF_8)));
    }

    /** Images embedded so far (this run and earlier ones). */
    int count() { return done.size(); }

    int dim() { return dim; }

    /** The row holding {@code name}'s embedding, or -1. */
    int row(String name) { return done.getOrDefault(name, -1); }

    /** Appends embeddings [names.size(), dim] and then their names, each made durable. */
    void append(List<String> batch, float[] embeddings, int d) {
        try {
            if (dim == 0) {
                dim = d;
                writeJson();
            } else if (d != dim) {
                throw new IllegalStateException("embeddings have " + d + " values, the earlier ones " + dim);
            }
            ByteBuffer b = ByteBuffer.allocate(embeddings.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(embeddings);
            writeFully(rows, b);
            rows.force(false);
            StringBuilder sb = new StringBuilder();
            for (String s : batch) sb.append(s).append('\n');
            writeFully(names, ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
            names.force(false);
            for (String s : batch) done.putIfAbsent(s, rowCount++);
        } catch (IOException e) {
            throw new FormatException(sidecar(out, ".partial"), "cannot write: " + e.getMessage());
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        long pos = ch.size();
        while (b.hasRemaining()) pos += ch.write(b, pos);
    }

    /** Row {@code r} as floats. */
    float[] read(int r) {
        ByteBuffer b = ByteBuffer.allocate(dim * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try {
            long pos = (long) r * b.capacity();
            while (b.hasRemaining()) {
                if (rows.read(b, pos + b.position()) < 0) throw new IOException("ends before row " + r);
            }
        } catch (IOException e) {
            throw new FormatException(sidecar(out, ".partial"), "cannot read: " + e.getMessage());
        }
        float[] v = new float[dim];
        b.flip().asFloatBuffer().get(v);
        return v;
    }

    @Override
    public void close() {
        try {
            rows.close();
            names.close();
        } catch (IOException ignored) {
            // closing read/write channels after their data was forced
        }
    }

    /** Removes the progress files once the output is complete. */
    void delete() {
        close();
        try {
            for (String s : new String[] {".partial", ".partial.txt", ".partial.json"}) Files.deleteIfExists(sidecar(out, s));
        } catch (IOException e) {
            throw new FormatException(out, "cannot remove the progress files: " + e.getMessage());
        }
    }
}
