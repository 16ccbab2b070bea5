package io.wasmgateway.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The sample's auth service, served by the gateway application itself and called by the auth filter through
 * the {@code auth} cluster: {@code GET /auth-service/check} answers 200 for {@code authorization: Bearer demo},
 * 401 with a JSON error otherwise.
 */
@Configuration(proxyBeanMethods = false)
class AuthService {

    static final String TOKEN = "Bearer demo";

    @Bean
    RouterFunction<ServerResponse> authServiceRoutes() {
        return RouterFunctions.route()
            .GET("/auth-service/check", request -> TOKEN.equals(request.headers().firstHeader("authorization"))
                    ? ServerResponse.ok().bodyValue("ok")
                    : ServerResponse.status(HttpStatus.UNAUTHORIZED)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"error\":\"invalid token\"}"))
            .build();
    }
}
