package io.wasmgateway.host.foreign;

import io.wasmgateway.host.ForeignFunction;
import org.slf4j.Logger;

/**
 * Higress's {@code get_log_level}: the calling module's log level (its logger {@code wasm.<module>}) as a u32,
 * little-endian, in Envoy's numbering: trace 0, debug 1, info 2, warn 3, error 4, off 6. Filters call it to
 * skip building debug output nobody logs.
 */
public final class GetLogLevel implements ForeignFunction {

    @Override
    public String name() {
        return "get_log_level";
    }

    @Override
    public byte[] call(ForeignCall call) {
        int level = level(call.logger());
        return new byte[] {(byte) level, 0, 0, 0};
    }

    private static int level(Logger logger) {
        if (logger.isTraceEnabled()) {
            return 0;
        }
        if (logger.isDebugEnabled()) {
            return 1;
        }
        if (logger.isInfoEnabled()) {
            return 2;
        }
        if (logger.isWarnEnabled()) {
            return 3;
        }
        return logger.isErrorEnabled() ? 4 : 6;
    }
}
