package io.ibllm.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A read-only memory mapping of a whole file, with bounds-checked slicing. */
public final class Mapped implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;

    private Mapped(Path path, Arena arena, MemorySegment segment) {
        this.path = path;
        this.arena = arena;
        this.segment = segment;
    }

    public static Mapped open(Path path) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            MemorySegment seg = size == 0 ? MemorySegment.NULL.reinterpret(0)
                    : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return new Mapped(path, arena, seg);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new FormatException(path, "no such file");
        } catch (IOException e) {
            arena.close();
            throw new FormatException(path, "cannot read: " + e.getMessage());
        }
    }

    public Path path() { return path; }
    public MemorySegment segment() { return segment; }
    public long size() { return segment.byteSize(); }

    /** [offset, offset+length) after checking it lies inside the file. */
    public MemorySegment slice(long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset > size() || length > size() - offset) {
            throw new FormatException(path, what + " at bytes [" + offset + ", " + (offset + length)
                    + ") lies outside the file (" + size() + " bytes)");
        }
        return segment.asSlice(offset, length);
    }

    @Override
    public void close() {
        arena.close();
    }
}
