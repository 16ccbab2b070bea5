package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.slf4j.Logger;

/** proxy_log and proxy_get_log_level, on the module's SLF4J logger {@code wasm.<module name>}. */
final class LoggingFunctions {

    static final int TRACE = 0;
    static final int DEBUG = 1;
    static final int INFO = 2;
    static final int WARN = 3;
    static final int ERROR = 4;
    static final int CRITICAL = 5;

    private LoggingFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        Logger log = vm.logger();
        return List.of(
                // (level, message_ptr, message_size)
                HostCall.status("proxy_log", 3, log, args -> {
                    int ptr = arg(args, 1);
                    int size = arg(args, 2);
                    GuestMemory memory = vm.memory();
                    if (!memory.contains(ptr, size)) {
                        return Status.INVALID_MEMORY_ACCESS;
                    }
                    int level = arg(args, 0);
                    if (level < TRACE || level > CRITICAL) {
                        return Status.BAD_ARGUMENT;
                    }
                    if (isEnabled(log, level)) {
                        int kept = Integer.compareUnsigned(size, Limits.MAX_LOG_MESSAGE_BYTES) > 0
                                ? Limits.MAX_LOG_MESSAGE_BYTES : size;
                        log(log, level, memory.readString(ptr, kept, StandardCharsets.UTF_8));
                    }
                    return Status.OK;
                }),
                // (return_level_ptr)
                HostCall.status("proxy_get_log_level", 1, log, args -> {
                    vm.memory().writeU32(arg(args, 0), levelOf(log));
                    return Status.OK;
                }));
    }

    /** The lowest Proxy-Wasm level the logger lets through (CRITICAL when even ERROR is off). */
    static int levelOf(Logger log) {
        if (log.isTraceEnabled()) {
            return TRACE;
        }
        if (log.isDebugEnabled()) {
            return DEBUG;
        }
        if (log.isInfoEnabled()) {
            return INFO;
        }
        if (log.isWarnEnabled()) {
            return WARN;
        }
        return log.isErrorEnabled() ? ERROR : CRITICAL;
    }

    private static boolean isEnabled(Logger log, int level) {
        return switch (level) {
            case TRACE -> log.isTraceEnabled();
            case DEBUG -> log.isDebugEnabled();
            case INFO -> log.isInfoEnabled();
            case WARN -> log.isWarnEnabled();
            default -> log.isErrorEnabled();
        };
    }

    private static void log(Logger log, int level, String message) {
        switch (level) {
            case TRACE -> log.trace(message);
            case DEBUG -> log.debug(message);
            case INFO -> log.info(message);
            case WARN -> log.warn(message);
            default -> log.error(message); // ERROR and CRITICAL
        }
    }
}
