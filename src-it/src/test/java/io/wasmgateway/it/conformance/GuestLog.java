package io.wasmgateway.it.conformance;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the guests logged ({@code wasm.<module>} loggers), from the start of the gateway on: the third-party tests
 * check Envoy's log, so these tests check ours. Given to {@code Gateway.start} as a configuration class, it
 * attaches its appender once Spring Boot has set up logging and before any module is loaded, so the messages of
 * {@code proxy_on_vm_start} and {@code proxy_on_configure} are kept too.
 */
@Configuration(proxyBeanMethods = false)
public class GuestLog {

    private static final Appender appender = new Appender();

    @Bean
    static BeanFactoryPostProcessor guestLogAttacher() {
        return beanFactory -> attach();
    }

    private static synchronized void attach() {
        Logger wasm = (Logger) LoggerFactory.getLogger("wasm");
        appender.events.clear();
        if (!appender.isStarted()) {
            appender.start();
        }
        wasm.detachAppender(appender);
        wasm.addAppender(appender);
    }

    /** The messages module {@code module} logged so far, in order. */
    public static List<String> of(String module) {
        return appender.events.stream()
            .filter(event -> event.getLoggerName().equals("wasm." + module))
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    }

    /** Waits until module {@code module} has logged every one of {@code messages} (each a whole message). */
    public static void awaitMessages(String module, String... messages) {
        await().atMost(Duration.ofSeconds(15))
            .untilAsserted(() -> assertThat(of(module)).contains(messages));
    }

    /** Waits until module {@code module} has logged a message containing each of {@code fragments}. */
    public static void awaitContaining(String module, String... fragments) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (String fragment : fragments) {
                assertThat(of(module)).anySatisfy(message -> assertThat(message).contains(fragment));
            }
        });
    }

    /** Forgets what was logged so far (between tests of one gateway). */
    public static void clear() {
        appender.events.clear();
    }

    private static final class Appender extends AppenderBase<ILoggingEvent> {

        // a filter ticking every millisecond logs thousands of lines a second: keep the first ones
        private static final int MAX_EVENTS = 20_000;

        final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            if (events.size() < MAX_EVENTS) {
                events.add(event);
            }
        }
    }
}
