package io.ibllm.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pickles that would run code under Python's pickle are refused, naming the global, and their
 * payload (creating a marker file) never runs.
 */
class HostilePickleTest {
    @TempDir
    Path tmp;

    private Path marker() { return tmp.resolve("pwned"); }

    private FormatException refuse(byte[] pkl) throws Exception {
        Path f = tmp.resolve("evil.pth");
        Files.write(f, new ZipBuilder().put("evil/data.pkl", pkl).put("evil/version", "3\n".getBytes()).bytes());
        FormatException e = assertThrows(FormatException.class, () -> TorchCheckpoint.open(f));
        assertFalse(Files.exists(marker()), "the payload ran");
        assertFalse(e.getMessage().contains("\n"));
        return e;
    }

    private byte[] callWithCommand(String module, String name) {
        return new PickleBuilder().proto(2).global(module, name).mark().str("touch " + marker()).tuple().reduce().stop().bytes();
    }

    @Test
    void osSystemViaGlobalAndReduce() throws Exception {
        assertTrue(refuse(callWithCommand("os", "system")).getMessage().contains("'os.system'"));
        assertTrue(refuse(callWithCommand("posix", "system")).getMessage().contains("'posix.system'"));
    }

    @Test
    void builtinsExecAndEval() throws Exception {
        assertTrue(refuse(callWithCommand("builtins", "exec")).getMessage().contains("'builtins.exec'"));
        assertTrue(refuse(callWithCommand("builtins", "eval")).getMessage().contains("'builtins.eval'"));
        assertTrue(refuse(callWithCommand("__builtin__", "eval")).getMessage().contains("'__builtin__.eval'"));
    }

    @Test
    void subprocessPopenViaStackGlobal() throws Exception {
        byte[] pkl = new PickleBuilder().proto(4).shortStr("subprocess").op(0x94).shortStr("Popen").op(0x94).op(0x93)
                .mark().mark().str("touch").str(marker().toString()).op('l').tuple().reduce().stop().bytes();
        assertTrue(refuse(pkl).getMessage().contains("'subprocess.Popen'"));
    }

    @Test
    void instAndObjAndNewobjOnForbiddenClasses() throws Exception {
        // INST reads module and name as text lines after the opcode
        byte[] instOp = concat(new PickleBuilder().proto(2).mark().str("touch " + marker()).op('i').bytes(),
                "os\nsystem\n".getBytes(), new byte[] {'.'});
        assertTrue(refuse(instOp).getMessage().contains("'os.system'"));
        byte[] obj = new PickleBuilder().proto(2).mark().global("subprocess", "Popen").str("x").op('o').stop().bytes();
        assertTrue(refuse(obj).getMessage().contains("'subprocess.Popen'"));
        byte[] newobj = new PickleBuilder().proto(2).global("builtins", "object").op(')').op(0x81).stop().bytes();
        assertTrue(refuse(newobj).getMessage().contains("'builtins.object'"));
    }

    @Test
    void reduceOnAnAllowedButNonCallableGlobalIsRefused() throws Exception {
        byte[] storageCall = new PickleBuilder().proto(2).global("torch", "FloatStorage").mark().integer(4).tuple().reduce().stop().bytes();
        assertTrue(refuse(storageCall).getMessage().contains("torch.FloatStorage"));
        byte[] dtypeCall = new PickleBuilder().proto(2).global("torch", "float32").op(')').reduce().stop().bytes();
        assertTrue(refuse(dtypeCall).getMessage().contains("REDUCE"));
    }

    @Test
    void unlistedTorchInternalsAreRefused() throws Exception {
        assertTrue(refuse(callWithCommand("torch._utils", "_rebuild_qtensor")).getMessage().contains("'torch._utils._rebuild_qtensor'"));
        assertTrue(refuse(callWithCommand("torch", "load")).getMessage().contains("'torch.load'"));
    }

    @Test
    void buildOnAStringAndBadPersistentIdsAreRefused() throws Exception {
        byte[] build = new PickleBuilder().proto(2).str("x").op('}').op('b').stop().bytes();
        assertTrue(refuse(build).getMessage().contains("BUILD"));
        byte[] pid = new PickleBuilder().proto(2).mark().str("module").str("os").tuple().op('Q').stop().bytes();
        assertTrue(refuse(pid).getMessage().contains("persistent id"));
    }

    @Test
    void malformedStreamsAreRefused() throws Exception {
        assertTrue(refuse(new PickleBuilder().proto(2).op('}').bytes()).getMessage().contains("truncated"));
        assertTrue(refuse(new PickleBuilder().proto(2).op('h', 7).stop().bytes()).getMessage().contains("memo"));
        assertTrue(refuse(new PickleBuilder().proto(2).op('X').le(0x7FFFFFF0L, 4).bytes()).getMessage().contains("past the end"));
        assertTrue(refuse(new PickleBuilder().proto(2).op('s').stop().bytes()).getMessage().contains("underflow"));
        assertTrue(refuse(new PickleBuilder().proto(2).op(0x82, 1).stop().bytes()).getMessage().contains("EXT"));
    }

    @Test
    void selfReferentialContainersDoNotHang() throws Exception {
        // l = []; l.append(l); {'a': l}
        byte[] pkl = new PickleBuilder().proto(2).op('}').str("a").op(']').op('q', 0).op('h', 0).op('a').op('s').stop().bytes();
        Path f = tmp.resolve("cycle.pth");
        Files.write(f, new ZipBuilder().put("c/data.pkl", pkl).bytes());
        try (TorchCheckpoint c = TorchCheckpoint.open(f)) {
            assertTrue(c.names().isEmpty());
        }
    }

    @Test
    void containerKeysAreRefused() throws Exception {
        byte[] listKey = new PickleBuilder().proto(2).op('}').op(']').integer(1).op('s').stop().bytes();
        assertTrue(refuse(listKey).getMessage().contains("key"));
        // OrderedDict([([], 1)])
        byte[] odict = new PickleBuilder().proto(2).global("collections", "OrderedDict").mark().op(']').op(']').integer(1).op(0x86)
                .op('a').tuple().reduce().stop().bytes();
        assertTrue(refuse(odict).getMessage().contains("collections.OrderedDict"));
    }

    @Test
    void deepNestingAndSharedSubtreesStayBounded() throws Exception {
        PickleBuilder deep = new PickleBuilder().proto(2);
        for (int i = 0; i < 5000; i++) deep.op(']');
        for (int i = 0; i < 4999; i++) deep.op('a');
        assertTrue(refuse(deep.stop().bytes()).getMessage().contains("nested deeper"));
        // t0 = (); t_{i+1} = (t_i, t_i): 2^60 paths through 60 shared tuples
        PickleBuilder shared = new PickleBuilder().proto(2).op(')');
        for (int i = 0; i < 60; i++) shared.op('2').op(0x86);
        Path f = tmp.resolve("shared.pth");
        Files.write(f, new ZipBuilder().put("s/data.pkl", shared.stop().bytes()).bytes());
        try (TorchCheckpoint c = TorchCheckpoint.open(f)) {
            assertTrue(c.names().isEmpty());
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
