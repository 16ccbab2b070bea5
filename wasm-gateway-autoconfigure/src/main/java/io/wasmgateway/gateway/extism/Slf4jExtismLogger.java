package io.wasmgateway.gateway.extism;

import com.dylibso.chicory.log.Logger;

import org.slf4j.LoggerFactory;

/**
 * Where an Extism plugin's log lines (the PDK's log functions) and the SDK's own messages go: the SLF4J logger
 * {@code io.wasmgateway.extism.<module>}, instead of the SDK's default java.util.logging.
 */
final class Slf4jExtismLogger implements Logger {

    private final org.slf4j.Logger log;

    Slf4jExtismLogger(String module) {
        this.log = LoggerFactory.getLogger("io.wasmgateway.extism." + module);
    }

    @Override
    public void log(Level level, String message, Throwable error) {
        switch (level) {
            case ERROR -> log.error(message, error);
            case WARNING -> log.warn(message, error);
            case INFO -> log.info(message, error);
            case DEBUG -> log.debug(message, error);
            case ALL, TRACE -> log.trace(message, error);
            case OFF -> {
            }
        }
    }

    @Override
    public boolean isLoggable(Level level) {
        return switch (level) {
            case ERROR -> log.isErrorEnabled();
            case WARNING -> log.isWarnEnabled();
            case INFO -> log.isInfoEnabled();
            case DEBUG -> log.isDebugEnabled();
            case ALL, TRACE -> log.isTraceEnabled();
            case OFF -> false;
        };
    }
}
