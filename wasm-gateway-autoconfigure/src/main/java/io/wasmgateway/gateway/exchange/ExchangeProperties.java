package io.wasmgateway.gateway.exchange;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.PropertyEncoding;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;

/**
 * The request properties a filter reads with proxy_get_property, named and encoded as Envoy does (strings
 * raw, integers 8-byte little-endian, booleans one byte, maps in the pair serialization). Request values
 * come from the current request header map, so a filter sees what earlier filters changed.
 */
final class ExchangeProperties {

    /** Numbers the connections this gateway accepted: connection.id, stable for a connection's requests. */
    private static final AttributeKey<Long> CONNECTION_ID = AttributeKey.valueOf("wasmgateway.connection.id");

    private static final AtomicLong connectionIds = new AtomicLong();

    private static final String ATTRIBUTES_PREFIX = "gateway.attributes";

    private ExchangeProperties() {
    }

    /** The property's value, or null when unknown. */
    static byte[] read(ProxyWasmExchange state, List<String> path) {
        if (path.get(0).equals("route_metadata")) {
            Route route = route(state.exchange());
            return route == null ? null : RouteMetadataProperty.read(route.getMetadata(), path.subList(1, path.size()));
        }
        String name = String.join(".", path);
        if (name.startsWith(ATTRIBUTES_PREFIX + ".")) {
            return attribute(state.exchange(), name.substring(ATTRIBUTES_PREFIX.length() + 1));
        }
        HeaderMap request = state.requestHeaders();
        ServerWebExchange exchange = state.exchange();
        return switch (name) {
            case "request.path" -> headerValue(request.get(":path"));
            case "request.url_path" -> headerValue(urlPath(request.get(":path")));
            case "request.query" -> headerValue(query(request.get(":path")));
            case "request.host" -> headerValue(request.get(":authority"));
            case "request.scheme" -> headerValue(request.get(":scheme"));
            case "request.method" -> headerValue(request.get(":method"));
            case "request.headers" -> PropertyEncoding.map(withoutPseudoHeaders(request));
            case "request.referer" -> headerValue(request.get("referer"));
            case "request.useragent" -> headerValue(request.get("user-agent"));
            case "request.id" -> headerValue(requestId(request, exchange));
            case "request.protocol" -> string(protocol(exchange.getRequest()));
            case "request.time" -> PropertyEncoding.int64(state.startEpochNanos());
            case "response.code" -> responseCode(state.responseHeaders());
            case "response.headers" -> state.responseHeaders() == null ? null
                    : PropertyEncoding.map(withoutPseudoHeaders(state.responseHeaders()));
            case "source.address" -> string(address(exchange.getRequest().getRemoteAddress()));
            case "source.port" -> port(exchange.getRequest().getRemoteAddress());
            case "destination.address" -> string(address(exchange.getRequest().getLocalAddress()));
            case "destination.port" -> port(exchange.getRequest().getLocalAddress());
            case "connection.id" -> connectionId(exchange.getRequest());
            case "connection.mtls" -> PropertyEncoding.bool(mtls(exchange.getRequest().getSslInfo()));
            case "route_name", "gateway.route_id" -> string(route(exchange) == null ? null : route(exchange).getId());
            case "gateway.route_uri" -> string(route(exchange) == null ? null : route(exchange).getUri().toString());
            default -> null;
        };
    }

    /** Header-derived text holds one char per byte: its bytes are passed on unchanged. */
    private static byte[] headerValue(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] string(String value) {
        return value == null ? null : PropertyEncoding.string(value);
    }

    private static String urlPath(String path) {
        if (path == null) {
            return null;
        }
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    private static String query(String path) {
        if (path == null) {
            return null;
        }
        int query = path.indexOf('?');
        return query < 0 ? "" : path.substring(query + 1);
    }

    private static List<Map.Entry<String, String>> withoutPseudoHeaders(HeaderMap headers) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>(headers.size());
        headers.forEach((name, value) -> {
            if (name.length() == 0 || name.charAt(0) != ':') {
                pairs.add(Map.entry(HeaderMap.lowerCase(name.toString()), value.toString()));
            }
        });
        return pairs;
    }

    private static String requestId(HeaderMap request, ServerWebExchange exchange) {
        String id = request.get("x-request-id");
        return id != null ? id : exchange.getRequest().getId();
    }

    /** "HTTP/1.1", "HTTP/2" as Envoy names them. */
    private static String protocol(ServerHttpRequest request) {
        Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
        if (nativeRequest instanceof HttpServerRequest netty) {
            HttpVersion version = netty.version();
            return version.majorVersion() >= 2 ? "HTTP/" + version.majorVersion() : version.text();
        }
        return null;
    }

    private static byte[] responseCode(HeaderMap response) {
        if (response == null || response.get(":status") == null) {
            return null;
        }
        try {
            return PropertyEncoding.int64(Long.parseLong(response.get(":status")));
        }
        catch (NumberFormatException ex) {
            return null;
        }
    }

    /** "ip:port", IPv6 addresses in brackets, as Envoy writes them. */
    private static String address(InetSocketAddress address) {
        if (address == null) {
            return null;
        }
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static byte[] port(InetSocketAddress address) {
        return address == null ? null : PropertyEncoding.int64(address.getPort());
    }

    /** A number per accepted connection (HTTP/2 streams share their connection's), kept on the Netty channel. */
    private static byte[] connectionId(ServerHttpRequest request) {
        Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
        if (!(nativeRequest instanceof Connection connection)) {
            return null;
        }
        Channel channel = connection.channel();
        if (channel.parent() != null && !(channel.parent() instanceof io.netty.channel.ServerChannel)) {
            channel = channel.parent();
        }
        Long id = channel.attr(CONNECTION_ID).get();
        if (id == null) {
            Long fresh = connectionIds.incrementAndGet();
            id = channel.attr(CONNECTION_ID).setIfAbsent(fresh);
            if (id == null) {
                id = fresh;
            }
        }
        return PropertyEncoding.int64(id);
    }

    private static boolean mtls(SslInfo ssl) {
        return ssl != null && ssl.getPeerCertificates() != null && ssl.getPeerCertificates().length > 0;
    }

    private static Route route(ServerWebExchange exchange) {
        return exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
    }

    /** An exchange attribute that has a natural text form; others stay private to the gateway. */
    private static byte[] attribute(ServerWebExchange exchange, String name) {
        Object value = exchange.getAttribute(name);
        if (value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof URI) {
            return PropertyEncoding.string(value.toString());
        }
        return null;
    }
}
