package io.wasmgateway.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each filter's request processing is an observation "wasm.filter" nested in the request's own observation. */
class ObservationTest {

    static final List<String> stopped = new CopyOnWriteArrayList<>();

    @Test
    void eachFiltersRequestProcessingIsAChildOfTheRequestsObservation() {
        WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
        try (Gateway gateway = Gateway.start("shared", Map.of("upstream.port", upstream.port()), Recorder.class)) {
            gateway.client().get().uri("/metered/x").exchange().expectStatus().isOk().expectBody().returnResult();

            await().untilAsserted(() -> assertThat(stopped).contains("wasm.filter module=metrics parent=http.server.requests"));
        }
        finally {
            upstream.stop();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Recorder {

        @Bean
        ObservationHandler<Observation.Context> recordingHandler() {
            return new ObservationHandler<>() {
                @Override
                public void onStop(Observation.Context context) {
                    if (context.getName().equals("wasm.filter")) {
                        stopped.add(context.getName() + " module=" + context.getLowCardinalityKeyValue("module")
                            .getValue() + " parent=" + (context.getParentObservation() == null ? null
                                : context.getParentObservation().getContextView().getName()));
                    }
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            };
        }
    }
}
