package io.wasmgateway.bench.ratelimit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

/**
 * The rate-limit benchmark's gateway (src-it/bench/ratelimit.sh): the same Redis behind two limiters, Spring
 * Cloud Gateway's RequestRateLimiter with RedisRateLimiter (route /scg) and redis_rate_limit_filter.wasm over
 * proxy_redis_call (route /wasm), both keyed by x-api-key, with limits no run reaches, in front of
 * FastUpstream; /plain has no limiter.
 */
@SpringBootApplication
public class RateLimitBenchApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(RateLimitBenchApplication.class);
        application.setAdditionalProfiles("ratelimit-bench");
        application.run(args);
    }

    /** The key both limiters count: the x-api-key header. */
    @Bean
    KeyResolver apiKeyResolver() {
        return exchange -> Mono.justOrEmpty(exchange.getRequest().getHeaders().getFirst("x-api-key"));
    }
}
