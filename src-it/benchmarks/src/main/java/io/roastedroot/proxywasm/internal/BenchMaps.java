package io.roastedroot.proxywasm.internal;

import java.util.List;
import java.util.Map;

/**
 * Lives in proxy-wasm-java-host's package only to refill its header maps between benchmark operations without
 * allocating (its entry list is package-private), as the other columns do: the reset is not what we measure.
 */
public final class BenchMaps {

    private BenchMaps() {
    }

    public static void refill(ArrayProxyMap map, List<Map.Entry<String, String>> headers) {
        map.entries.clear();
        map.entries.addAll(headers);
    }
}
