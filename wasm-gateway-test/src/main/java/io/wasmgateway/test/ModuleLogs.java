package io.wasmgateway.test;

import java.util.List;
import java.util.Locale;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * The lines a module logs (proxy_log, and its stdout/stderr through WASI) to its logger {@code wasm.<module>},
 * captured at every level while the tester runs (Logback, which Spring Boot uses).
 */
public final class ModuleLogs implements AutoCloseable {

    private final Logger logger;

    private final Level previous;

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    ModuleLogs(String module) {
        this.logger = (Logger) LoggerFactory.getLogger("wasm." + module);
        this.previous = logger.getLevel();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.TRACE);
    }

    /** Every line, as "LEVEL message". */
    public synchronized List<String> all() {
        return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    /** The lines logged at one level ({@code trace}, {@code debug}, {@code info}, {@code warn}, {@code error}). */
    public synchronized List<String> at(String level) {
        Level wanted = Level.toLevel(level.toUpperCase(Locale.ROOT), null);
        if (wanted == null) {
            throw new IllegalArgumentException("no log level " + level);
        }
        return appender.list.stream().filter(e -> e.getLevel().equals(wanted)).map(ILoggingEvent::getFormattedMessage)
            .toList();
    }

    /** Forgets the lines so far. */
    public synchronized void clear() {
        appender.list.clear();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previous);
        appender.stop();
    }
}
