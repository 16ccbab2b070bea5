package io.wasmgateway.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The sample's upstream, served by the gateway application itself: {@code /upstream/status/<code>} answers
 * with that status, any other {@code /upstream/**} path with a JSON echo of the request it received (method,
 * path, headers), so you can see what the filters changed.
 */
@Configuration(proxyBeanMethods = false)
class UpstreamEcho {

    @Bean
    RouterFunction<ServerResponse> upstream() {
        return RouterFunctions.route()
            .GET("/upstream/status/{code}", request -> ServerResponse
                .status(HttpStatusCode.valueOf(Integer.parseInt(request.pathVariable("code"))))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(echo(request)))
            .route(request -> request.path().startsWith("/upstream/"), request -> ServerResponse.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(echo(request)))
            .build();
    }

    private static Map<String, Object> echo(ServerRequest request) {
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("method", request.method().name());
        echo.put("path", request.uri().getRawPath());
        echo.put("query", request.uri().getRawQuery());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().asHttpHeaders().forEach(headers::put);
        echo.put("headers", headers);
        return echo;
    }
}
