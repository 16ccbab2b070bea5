package io.wasmgateway.host.foreign;

import java.util.zip.Deflater;

import io.wasmgateway.host.ForeignFunction;

/** Envoy's {@code compress}: the arguments compressed in the zlib format (RFC 1950), at the default level. */
public final class ZlibCompress implements ForeignFunction {

    @Override
    public String name() {
        return "compress";
    }

    @Override
    public byte[] call(ForeignCall call) {
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(call.arguments());
            deflater.finish();
            byte[] out = new byte[Math.max(64, call.arguments().length + call.arguments().length / 1000 + 64)];
            int size = 0;
            while (!deflater.finished()) {
                if (size == out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                }
                size += deflater.deflate(out, size, out.length - size);
            }
            return java.util.Arrays.copyOf(out, size);
        }
        finally {
            deflater.end();
        }
    }
}
