package io.wasmgateway.host.wasi;

import com.dylibso.chicory.log.Logger;

/** Chicory's own WASI tracing, sent to SLF4J instead of java.util.logging. */
final class Slf4jChicoryLogger implements Logger {

    private final org.slf4j.Logger delegate;

    Slf4jChicoryLogger(org.slf4j.Logger delegate) {
        this.delegate = delegate;
    }

    @Override
    public void log(Level level, String message, Throwable error) {
        switch (level) {
            case TRACE, ALL -> delegate.trace(message, error);
            case DEBUG -> delegate.debug(message, error);
            case INFO -> delegate.info(message, error);
            case WARNING -> delegate.warn(message, error);
            case ERROR -> delegate.error(message, error);
            default -> {
            }
        }
    }

    @Override
    public boolean isLoggable(Level level) {
        return switch (level) {
            case TRACE, ALL -> delegate.isTraceEnabled();
            case DEBUG -> delegate.isDebugEnabled();
            case INFO -> delegate.isInfoEnabled();
            case WARNING -> delegate.isWarnEnabled();
            case ERROR -> delegate.isErrorEnabled();
            default -> false;
        };
    }
}
