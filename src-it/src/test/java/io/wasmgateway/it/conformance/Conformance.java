package io.wasmgateway.it.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The third-party binary a conformance test runs (its path in {@code ../shared/conformance}, e.g.
 * {@code go/http_headers.wasm}); {@link ConformanceReport} lists the test's display name as one of its behaviours.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Conformance {

    String[] value();
}
