package io.ibllm.io;

import java.nio.file.Path;

/** A {@link TensorMap} over one memory-mapped file: tensors are views of it, closing unmaps it. */
abstract class MappedTensorMap extends TensorMap {
    protected final Mapped file;

    MappedTensorMap(Mapped file) {
        this.file = file;
    }

    @Override public Path path() { return file.path(); }

    @Override
    public long offsetOf(String name) {
        return get(name).segment().address() - file.segment().address();
    }

    @Override
    public void close() { file.close(); }
}
