package io.wasmgateway.gateway.exchange;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.wasmgateway.host.HeaderMap;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * A request's headers as one filter's header map, read where they live: {@code :method}, {@code :path} (raw path
 * and query), {@code :authority} (the Host header), {@code :scheme}, then every header but Host, as Netty received
 * them (the guest gets the names in lower case). Nothing is copied until the filter writes: Spring's request
 * headers are read-only, so the first write copies them once into a mutated request (as Spring Cloud Gateway's
 * own header filters do), and {@link #apply} hands that request on. Pairs a filter adds under a name the request
 * cannot carry (a second {@code :path}, {@code host}, an unknown pseudo-header) stay visible to filters and are
 * not sent upstream, as before.
 */
final class RequestHeaders extends LiveHeaderMap {

    private static final String[] PSEUDO = { ":method", ":path", ":authority", ":scheme" };

    private static final int METHOD = 0;

    private static final int PATH = 1;

    private static final int AUTHORITY = 2;

    private final ServerHttpRequest request;

    private ServerHttpRequest.Builder mutated; // set by the first write of a header

    private String[] pseudo; // null until read or written; an element null once removed

    private boolean modified;

    private RequestHeaders(ServerHttpRequest request) {
        super(LiveHeaders.of(request));
        this.request = request;
    }

    /** The request's headers as a filter's map; nothing is read or copied yet. */
    static RequestHeaders from(ServerHttpRequest request) {
        return new RequestHeaders(request);
    }

    @Override
    public int size() {
        int size = headerPairs();
        if (pseudo == null) {
            return size + PSEUDO.length;
        }
        for (String value : pseudo) {
            size += value != null ? 1 : 0;
        }
        return size;
    }

    @Override
    public long textLength() {
        long length = headerTextLength();
        String[] values = pseudo();
        for (int i = 0; i < PSEUDO.length; i++) {
            length += values[i] != null ? PSEUDO[i].length() + values[i].length() : 0;
        }
        return length;
    }

    @Override
    public String get(String name) {
        int index = pseudoIndex(name);
        return index >= 0 && pseudo()[index] != null ? pseudo[index] : header(name, index < 0 && carried(name));
    }

    @Override
    public void add(String name, String value) {
        modified = true;
        int index = pseudoIndex(name);
        if (index >= 0 && pseudo()[index] == null) {
            pseudo[index] = value;
        }
        else if (index < 0 && carried(name)) {
            writable().add(HeaderMap.lowerCase(name), value);
        }
        else {
            others().add(name, value);
        }
    }

    @Override
    public void remove(String name) {
        modified = true;
        int index = pseudoIndex(name);
        if (index >= 0) {
            pseudo()[index] = null;
        }
        else if (carried(name) && headers.get(name) != null) {
            writable().remove(name);
        }
        removeOther(name);
    }

    @Override
    public void replaceAll(List<Map.Entry<String, String>> pairs) {
        modified = true;
        pseudo = new String[PSEUDO.length];
        clearOthers();
        writable().clear();
        for (Map.Entry<String, String> pair : pairs) {
            add(pair.getKey(), pair.getValue());
        }
    }

    @Override
    public void forEach(PairVisitor visitor) {
        String[] values = pseudo();
        for (int i = 0; i < PSEUDO.length; i++) {
            if (values[i] != null) {
                visitor.pair(PSEUDO[i], values[i]);
            }
        }
        forEachHeader(visitor);
    }

    /** Whether a filter changed the map since the last {@link #apply}. */
    boolean isModified() {
        return modified;
    }

    /** Whether a body follows the headers: a positive Content-Length or any Transfer-Encoding. */
    static boolean hasBody(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }

    /**
     * The exchange with the filter's changes: method, path and query, authority (sent upstream as Host) and
     * headers. Unchanged when the filter changed nothing.
     *
     * @throws IllegalArgumentException when the filter set a :method, :path or :authority that isn't valid
     */
    static ServerWebExchange apply(ServerWebExchange exchange, HeaderMap map) {
        return ((RequestHeaders) map).apply(exchange);
    }

    /** {@link #apply(ServerWebExchange, HeaderMap)} for this map. */
    ServerWebExchange apply(ServerWebExchange exchange) {
        if (!modified) {
            return exchange;
        }
        modified = false;
        String[] values = pseudo();
        String method = values[METHOD];
        String authority = values[AUTHORITY];
        String path = values[PATH];
        String originalAuthority = request.getHeaders().getFirst(HttpHeaders.HOST);
        boolean methodChanged = method != null && !method.equals(request.getMethod().name());
        boolean authorityChanged = authority != null && !authority.equals(originalAuthority);
        URI uri = request.getURI();
        boolean pathChanged = path != null && !path.equals(pathAndQuery(uri));
        if (mutated == null && !methodChanged && !authorityChanged && !pathChanged) {
            return exchange; // only pairs the request cannot carry changed
        }
        ServerHttpRequest.Builder builder = mutated != null ? mutated : request.mutate();
        if (methodChanged) {
            builder.method(HttpMethod.valueOf(method));
        }
        if (authorityChanged || pathChanged) {
            builder.uri(uri(uri, authorityChanged ? authority : uri.getRawAuthority(),
                    path != null ? path : pathAndQuery(uri)));
        }
        String host = authority != null ? authority : originalAuthority;
        if (host != null && (mutated != null || authorityChanged)) {
            builder.headers(writable -> writable.set(HttpHeaders.HOST, host));
        }
        if (authorityChanged) {
            // the gateway sends the route's host upstream unless told to keep the request's
            exchange.getAttributes().put(ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE, true);
        }
        return ProxyWasmWebExchange.withRequest(exchange, builder.build());
    }

    static String pathAndQuery(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private static URI uri(URI original, String authority, String pathAndQuery) {
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("a :path must start with '/': " + pathAndQuery);
        }
        return URI.create(original.getScheme() + "://" + authority + pathAndQuery);
    }

    /** The pseudo-headers, read from the request the first time they are needed. */
    private String[] pseudo() {
        if (pseudo == null) {
            URI uri = request.getURI();
            String host = request.getHeaders().getFirst(HttpHeaders.HOST);
            pseudo = new String[] { request.getMethod().name(), pathAndQuery(uri),
                    host != null ? host : uri.getRawAuthority() != null ? uri.getRawAuthority() : "",
                    uri.getScheme() != null ? uri.getScheme() : "http" };
        }
        return pseudo;
    }

    /** The request's headers, copied once into a mutated request the first time a filter writes one. */
    private LiveHeaders writable() {
        if (mutated == null) {
            ServerHttpRequest.Builder builder = request.mutate();
            builder.headers(copy -> this.headers = LiveHeaders.spring(copy, true));
            mutated = builder;
        }
        return headers;
    }

    private static int pseudoIndex(String name) {
        if (name.isEmpty() || name.charAt(0) != ':') {
            return -1;
        }
        for (int i = 0; i < PSEUDO.length; i++) {
            if (PSEUDO[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the name is one the request carries upstream as a header (not Host, no pseudo-header). */
    private static boolean carried(String name) {
        return !name.isEmpty() && name.charAt(0) != ':' && !name.equalsIgnoreCase(HttpHeaders.HOST);
    }
}
