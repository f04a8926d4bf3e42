package io.walrus.testing;

import io.walrus.storage.DataFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** A {@link DataFile} that passes every call to another; fault-injecting wrappers override what they break. */
public class ForwardingDataFile implements DataFile {
    protected final DataFile inner;

    public ForwardingDataFile(DataFile inner) {
        this.inner = inner;
    }

    @Override
    public Path path() {
        return inner.path();
    }

    @Override
    public void write(ByteBuffer source, long position) throws IOException {
        inner.write(source, position);
    }

    @Override
    public int read(ByteBuffer target, long position) throws IOException {
        return inner.read(target, position);
    }

    @Override
    public void force() throws IOException {
        inner.force();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
