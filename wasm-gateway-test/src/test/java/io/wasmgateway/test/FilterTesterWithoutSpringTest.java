package io.wasmgateway.test;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * FilterTester needs no Spring, Reactor, Netty or WireMock (the kit brings them for the gateway extension only):
 * it runs a filter from a class loader that has none of them.
 */
class FilterTesterWithoutSpringTest {

    private static final List<String> HIDDEN = List.of("/org/springframework/", "/io/projectreactor/", "/io/netty/",
            "/org/wiremock/");

    @Test
    void runsAFilterWithoutSpringReactorNettyOrWireMockOnTheClassPath() throws Exception {
        URL[] urls = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> HIDDEN.stream().noneMatch(hidden -> entry.replace('\\', '/').contains(hidden)))
            .map(FilterTesterWithoutSpringTest::url)
            .toArray(URL[]::new);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader isolated = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            assertThatExceptionOfType(ClassNotFoundException.class)
                .isThrownBy(() -> isolated.loadClass("org.springframework.context.ApplicationContext"));
            assertThatExceptionOfType(ClassNotFoundException.class)
                .isThrownBy(() -> isolated.loadClass("reactor.core.publisher.Mono"));
            Thread.currentThread().setContextClassLoader(isolated);

            Class<?> testerClass = isolated.loadClass(FilterTester.class.getName());
            assertThat(testerClass.getClassLoader()).isSameAs(isolated);
            Object builder = testerClass.getMethod("builderForResource", String.class)
                .invoke(null, "filters/header_filter.wasm");
            builder.getClass().getMethod("configuration", String.class).invoke(builder, "request add x-a: 1");
            try (AutoCloseable tester = (AutoCloseable) builder.getClass().getMethod("build").invoke(builder)) {
                Object request = testerClass.getMethod("request", String.class, String.class)
                    .invoke(tester, "GET", "/");
                Object exchange = request.getClass().getMethod("send").invoke(request);
                assertThat(exchange.getClass().getMethod("requestHeader", String.class).invoke(exchange, "x-a"))
                    .isEqualTo("1");
                exchange.getClass().getMethod("finish").invoke(exchange);
            }
        }
        finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static URL url(String entry) {
        try {
            return new File(entry).toURI().toURL();
        }
        catch (MalformedURLException ex) {
            throw new IllegalArgumentException(entry, ex);
        }
    }
}
