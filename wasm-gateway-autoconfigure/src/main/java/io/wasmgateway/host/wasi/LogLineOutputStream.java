package io.wasmgateway.host.wasi;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A guest's stdout or stderr: collects bytes and hands over each complete line (without its newline) to a
 * log call, prefixed with {@code [<module>] }. A line longer than {@link #MAX_LINE} is handed over in pieces,
 * so a guest cannot make the host buffer without bound. Used by one VM instance, one callback at a time.
 */
final class LogLineOutputStream extends OutputStream {

    static final int MAX_LINE = 16 * 1024;

    private final String prefix;
    private final Consumer<String> sink;
    private byte[] line = new byte[256];
    private int length;

    LogLineOutputStream(String moduleName, Consumer<String> sink) {
        this.prefix = "[" + moduleName + "] ";
        this.sink = sink;
    }

    @Override
    public void write(int b) {
        if (b == '\n') {
            emit();
            return;
        }
        if (length == line.length) {
            if (length >= MAX_LINE) {
                emit();
            } else {
                line = Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
            }
        }
        line[length++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int count) {
        for (int i = offset; i < offset + count; i++) {
            write(bytes[i]);
        }
    }

    /** Hands over a pending partial line (when the VM goes away). */
    @Override
    public void close() {
        if (length > 0) {
            emit();
        }
    }

    private void emit() {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        sink.accept(prefix + new String(line, 0, end, StandardCharsets.UTF_8));
        length = 0;
    }
}
