package io.wasmgateway.host.wasi;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.types.FunctionType;

import io.wasmgateway.host.abi.HostCall;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;

/**
 * WASI preview 1 for one VM instance, served under both {@code wasi_snapshot_preview1} and
 * {@code wasi_unstable}. Built on Chicory's {@link WasiPreview1} with a sandbox: stdout and stderr are log
 * lines (INFO and ERROR on {@code wasm.<module>}, prefixed with {@code [<module>] }), the environment is only
 * what the module was configured with, there are no arguments, no preopened directories (so no file access)
 * and an empty stdin. On top of Chicory:
 * <ul>
 * <li>poll_oneoff never sleeps ({@link NonBlockingPoll});</li>
 * <li>fd_write and fd_read check their iovecs first and answer FAULT for a bad range, as the spec says;</li>
 * <li>any other function that meets a bad guest range answers FAULT instead of trapping;</li>
 * <li>functions Chicory does not support (it throws) and any WASI function it does not know answer NOSYS.</li>
 * </ul>
 */
public final class WasiHost implements AutoCloseable {

    public static final Set<String> MODULES = Set.of("wasi_snapshot_preview1", "wasi_unstable");

    /** Chicory throws "not supported" for these: a guest gets NOSYS instead. */
    private static final Set<String> UNSUPPORTED = Set.of("proc_raise", "sock_accept", "sock_recv", "sock_send",
            "adapter_close_badfd", "adapter_open_badfd");

    private final WasiPreview1 wasi;
    private final Map<String, HostCall> functions = new LinkedHashMap<>();

    public WasiHost(String moduleName, Map<String, String> environment, Logger logger) {
        WasiOptions.Builder options = WasiOptions.builder()
                .withStdout(new LogLineOutputStream(moduleName, logger::info), false)
                .withStderr(new LogLineOutputStream(moduleName, logger::error), false)
                .withArguments(List.of())
                .withRandom(seededRandom());
        environment.forEach(options::withEnvironment);
        this.wasi = WasiPreview1.builder()
                .withOptions(options.build())
                .withLogger(new Slf4jChicoryLogger(logger))
                .build();
        for (HostFunction function : wasi.toHostFunctions()) {
            functions.put(function.name(), adapt(function));
        }
    }

    /** The WASI function of that name (the same under both module names), or null when Chicory lacks it. */
    public HostCall function(String name) {
        return functions.get(name);
    }

    /** A stand-in for a WASI function nobody implements: it answers NOSYS with the guest's own signature. */
    public static HostCall missing(String name, FunctionType declared) {
        return new HostCall(name, declared, nosys(declared));
    }

    @Override
    public void close() {
        wasi.close();
    }

    private static HostCall adapt(HostFunction function) {
        String name = function.name();
        FunctionType type = function.functionType();
        WasmFunctionHandle chicory = function.handle();
        if (UNSUPPORTED.contains(name)) {
            return new HostCall(name, type, nosys(type));
        }
        return switch (name) {
            case "poll_oneoff" -> new HostCall(name, type, NonBlockingPoll.handle());
            // (fd, iovs, iovs_len, return_count_ptr)
            case "fd_write", "fd_read" -> new HostCall(name, type, (Instance instance, long... args) -> {
                boolean valid = WasiMemory.iovecsValid(instance.memory(), (int) args[1], (int) args[2])
                        && WasiMemory.contains(instance.memory(), (int) args[3], 4);
                return valid ? faultOnBadMemory(chicory, instance, args) : new long[] {Errno.FAULT};
            });
            default -> new HostCall(name, type, (Instance instance, long... args) -> faultOnBadMemory(chicory,
                    instance, args));
        };
    }

    private static long[] faultOnBadMemory(WasmFunctionHandle chicory, Instance instance, long[] args) {
        try {
            return chicory.apply(instance, args);
        } catch (WasmRuntimeException e) {
            // Chicory's memory reports a bad range this way; the spec's answer is FAULT, not a trap
            return new long[] {Errno.FAULT};
        }
    }

    private static WasmFunctionHandle nosys(FunctionType type) {
        long[] result = type.returns().isEmpty() ? null : new long[type.returns().size()];
        if (result != null) {
            result[0] = Errno.NOSYS;
        }
        return (Instance instance, long... args) -> result == null ? null : result.clone();
    }

    /** random_get must not block an event loop: a DRBG, seeded now, never reads the entropy source again. */
    private static SecureRandom seededRandom() {
        SecureRandom random;
        try {
            random = SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            random = new SecureRandom();
        }
        random.nextBytes(new byte[8]);
        return random;
    }
}
