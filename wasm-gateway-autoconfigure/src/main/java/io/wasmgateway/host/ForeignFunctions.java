package io.wasmgateway.host;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.wasmgateway.host.foreign.GetLogLevel;
import io.wasmgateway.host.foreign.ZlibCompress;
import io.wasmgateway.host.foreign.ZlibUncompress;

/** The foreign functions of a host, by name; a name that is not here answers NOT_FOUND, as in Envoy. */
public final class ForeignFunctions {

    /** No foreign function at all. */
    public static final ForeignFunctions NONE = new ForeignFunctions(Map.of());

    private final Map<String, ForeignFunction> byName;

    private ForeignFunctions(Map<String, ForeignFunction> byName) {
        this.byName = byName;
    }

    /** The functions real filters call: Envoy's {@code compress} and {@code uncompress}, Higress's {@code get_log_level}. */
    public static List<ForeignFunction> builtIns() {
        return List.of(new ZlibCompress(), new ZlibUncompress(), new GetLogLevel());
    }

    /** The built-ins and {@code functions}; a function named like a built-in replaces it. */
    public static ForeignFunctions withBuiltIns(Collection<? extends ForeignFunction> functions) {
        Map<String, ForeignFunction> all = new TreeMap<>();
        builtIns().forEach(function -> all.put(function.name(), function));
        for (ForeignFunction function : functions) {
            all.put(function.name(), function);
        }
        return new ForeignFunctions(Map.copyOf(all));
    }

    /** The function of that name, or null. */
    public ForeignFunction find(String name) {
        return byName.get(name);
    }

    /** The names, sorted. */
    public List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }
}
