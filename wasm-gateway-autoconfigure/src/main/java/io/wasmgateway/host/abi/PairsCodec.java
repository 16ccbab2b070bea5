package io.wasmgateway.host.abi;

import java.util.List;
import java.util.Map;

/** The Proxy-Wasm map serialization (little-endian). */
public final class PairsCodec {

    private PairsCodec() {
    }

    public static byte[] encode(List<Map.Entry<String, String>> pairs) {
        throw new UnsupportedOperationException("TODO");
    }
}
