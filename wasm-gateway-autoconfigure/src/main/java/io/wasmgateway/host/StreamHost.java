package io.wasmgateway.host;

import java.util.List;

/**
 * What an HTTP context needs from the proxy that carries its request: the header maps and the request's
 * properties. Implemented by the gateway, once per request and filter. Called only from inside a callback,
 * on the thread that runs it, never concurrently.
 */
public interface StreamHost {

    /** The request headers with {@code :method}, {@code :path}, {@code :authority} and {@code :scheme}. */
    HeaderMap requestHeaders();

    /** The response headers with {@code :status}, or null before the response phase. */
    HeaderMap responseHeaders();

    /**
     * A property of the request, encoded as Envoy encodes it (see {@link PropertyEncoding}), or null when the
     * proxy does not know it. Plugin properties ({@code plugin_name}, {@code plugin_root_id},
     * {@code plugin_vm_id}) are answered by the host itself and never asked here.
     *
     * @param path the path segments, e.g. {@code ["request", "path"]}
     */
    byte[] property(List<String> path);

    /**
     * Stores a property for this request so that later filters of the same request read it.
     *
     * @return false when the property cannot be set (the host then answers NOT_FOUND)
     */
    boolean setProperty(List<String> path, byte[] value);

    /**
     * The request this context belongs to: the contexts of one request's filters answer the same object, so that
     * under {@link Isolation#STREAM} they share the request's VM instance. Default: the stream host itself.
     */
    default Object requestKey() {
        return this;
    }

    /** How many body bytes a filter may hold (pause on) per direction before the stream fails. */
    default int maxBufferedBody() {
        return 1024 * 1024;
    }
}
