package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.io.Json;
import io.ibllm.io.Safetensors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    private static Path golden(String rel) {
        String p = System.getProperty("ibllm.golden");
        return (p != null ? Path.of(p) : Path.of("../testdata/golden")).resolve(rel);
    }

    private record Run(int code, String out, String err) {}

    private static synchronized Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Error lines of a run, ignoring the JVM's one-time Vector API warning if it appears. */
    private static List<String> errors(Run r) {
        return r.err().lines().filter(l -> l.startsWith("ibllm: ") && !l.toLowerCase().contains("vector")).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonListsEveryTensorOfAPickleWithItsGlobals() {
        Run r = run("inspect", "--json", golden("checkpoints/imagebind_llm_adapter.pth").toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> info = (Map<String, Object>) Json.parse(r.out().strip());
        assertEquals("pytorch-zip", info.get("format"));
        assertEquals(Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch.FloatStorage"),
                Set.copyOf((List<Object>) info.get("globals")));
        List<Map<String, Object>> rows = (List<Map<String, Object>>) info.get("tensors");
        Set<String> names = rows.stream().map(o -> (String) o.get("name")).collect(Collectors.toSet());
        try (Safetensors st = Safetensors.open(golden("checkpoints/imagebind_llm_adapter.safetensors"))) {
            assertEquals(st.names().stream().map(n -> "model." + n).collect(Collectors.toSet()), names);
            Map<String, Object> first = rows.getFirst();
            String name = ((String) first.get("name")).substring("model.".length());
            assertEquals(st.get(name).dtype().name(), first.get("dtype"));
            assertEquals(List.of(st.get(name).shape()[0], st.get(name).shape()[1]), first.get("shape"));
        }
    }

    @Test
    void textModeCoversIndexesAndSeveralFiles() {
        Run r = run("inspect", golden("checkpoints/knn.index").toString(), golden("checkpoints/llama/tiny/consolidated.00.safetensors").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("faiss-flat") && r.out().contains("metric: INNER_PRODUCT") && r.out().contains("count: 64"), r.out());
        assertTrue(r.out().contains("tok_embeddings.weight") && r.out().contains("F16"), r.out());
    }

    @Test
    void unknownFilesExitNonZeroWithOneLine(@TempDir Path tmp) throws Exception {
        Path junk = tmp.resolve("junk.bin");
        Files.writeString(junk, "not a checkpoint at all");
        Run r = run("inspect", junk.toString());
        assertNotEquals(0, r.code());
        assertEquals(1, errors(r).size(), r.err());
        assertTrue(errors(r).getFirst().contains("unrecognised"), r.err());
    }

    @Test
    void maliciousPickleExitsNonZeroNamingTheGlobal(@TempDir Path tmp) throws Exception {
        Path marker = tmp.resolve("pwned");
        Path evil = tmp.resolve("evil.pth");
        byte[] cmd = ("touch " + marker).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream pkl = new ByteArrayOutputStream();
        pkl.writeBytes(new byte[] {(byte) 0x80, 2, 'c'});
        pkl.writeBytes("os\nsystem\n(X".getBytes(StandardCharsets.US_ASCII));
        pkl.writeBytes(new byte[] {(byte) cmd.length, 0, 0, 0});
        pkl.writeBytes(cmd);
        pkl.writeBytes("tR.".getBytes(StandardCharsets.US_ASCII));
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(evil))) {
            byte[] b = pkl.toByteArray();
            ZipEntry e = new ZipEntry("evil/data.pkl");
            e.setMethod(ZipEntry.STORED);
            e.setSize(b.length);
            CRC32 crc = new CRC32();
            crc.update(b);
            e.setCrc(crc.getValue());
            zip.putNextEntry(e);
            zip.write(b);
            zip.closeEntry();
        }
        Run r = run("inspect", "--json", evil.toString());
        assertNotEquals(0, r.code());
        assertEquals(1, errors(r).size(), r.err());
        assertTrue(errors(r).getFirst().contains("'os.system'"), r.err());
        assertFalse(Files.exists(marker));
    }
}
