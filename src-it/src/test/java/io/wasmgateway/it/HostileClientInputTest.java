package io.wasmgateway.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests a client can craft by hand (raw bytes on a socket): thousands of headers, very long values, bytes
 * outside ASCII and control bytes, huge paths. Each reaches the filter intact or is refused with a 4xx; none
 * gets a 5xx.
 */
class HostileClientInputTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort()
        .jettyHeaderRequestSize(4 * 1024 * 1024)
        .jettyHeaderResponseSize(64 * 1024));

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
            .withHeader("x-echo-wasm", "{{request.headers.x-wasm-c}}")
            .withHeader("x-echo-path", "{{request.headers.x-path-copy}}")
            .withBody("ok")
            .withTransformers("response-template")));
        gateway = Gateway.start("client-input", Map.of("upstream.port", upstream.port()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @Test
    void moreHeadersThanAFilterMayBeGivenAreRefusedWith431() throws IOException {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            headers.append("x-h").append(i).append(": v\r\n");
        }
        Response response = send("GET /in/x HTTP/1.1\r\nHost: gw\r\n" + headers + "Connection: close\r\n\r\n");

        assertThat(response.status()).isEqualTo(431);
        assertThat(response.text()).endsWith("request headers too large\n");
    }

    @Test
    void headerBytesBeyondWhatAFilterMayBeGivenAreRefusedWith431() throws IOException {
        String big = "v".repeat(600 * 1024);
        Response response = send("GET /in/x HTTP/1.1\r\nHost: gw\r\nx-a: " + big + "\r\nx-b: " + big
                + "\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).isEqualTo(431);
    }

    @Test
    void headersBeyondTheServersLimitAreRefusedWith431ByNetty() throws IOException {
        Response response = send("GET /in/x HTTP/1.1\r\nHost: gw\r\nx-a: " + "v".repeat(5 * 1024 * 1024)
                + "\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).isEqualTo(431);
    }

    @Test
    void aLongValueAndManyHeadersWithinTheLimitsReachTheFilter() throws IOException {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            headers.append("x-h").append(i).append(": v\r\n");
        }
        Response response = send("GET /in/x HTTP/1.1\r\nHost: gw\r\nx-long: " + "v".repeat(100_000) + "\r\n"
                + headers + "Connection: close\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).contains("x-echo-wasm: yes");
    }

    @Test
    void bytesOutsideAsciiInAValueReachTheFilter() throws IOException {
        byte[] request = concat("GET /in/x HTTP/1.1\r\nHost: gw\r\nx-latin: caf".getBytes(StandardCharsets.US_ASCII),
                new byte[] { (byte) 0xC3, (byte) 0xA9, (byte) 0xFF, (byte) 0x80 },
                "\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        Response response = send(request);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).contains("x-echo-wasm: yes");
    }

    @Test
    void controlBytesAndBadNamesAreRefusedWith400() throws IOException {
        assertThat(send("GET /in/x HTTP/1.1\r\nHost: gw\r\nx-ctl: a\u0001b\r\nConnection: close\r\n\r\n").status())
            .isEqualTo(400);
        assertThat(send("GET /in/x HTTP/1.1\r\nHost: gw\r\nx\u0001bad: a\r\nConnection: close\r\n\r\n").status())
            .isEqualTo(400);
        assertThat(send("GET /in/x HTTP/1.1\r\nHost: gw\r\nx bad: a\r\nConnection: close\r\n\r\n").status())
            .isEqualTo(400);
    }

    @Test
    void aLongPathReachesTheFilterAndAHugeOneIsRefusedWith414() throws IOException {
        String longPath = "/in/" + "p".repeat(3000);
        Response fits = send("GET " + longPath + " HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
        assertThat(fits.status()).isEqualTo(200);
        assertThat(fits.text()).contains("x-echo-path: " + longPath + "\r\n");

        Response huge = send("GET /in/" + "p".repeat(100_000) + " HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
        assertThat(huge.status()).isEqualTo(414);
    }

    record Response(int status, String text) {
    }

    private static Response send(String request) throws IOException {
        return send(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends raw bytes and reads the whole answer (the request asks the server to close the connection). */
    private static Response send(byte[] request) throws IOException {
        try (Socket socket = new Socket("localhost", gateway.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            }
            catch (IOException ex) {
                // the server may answer and close before it has read everything we send
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0;) {
                    answer.write(buffer, 0, n);
                }
            }
            catch (IOException ex) {
                // a reset after the answer
            }
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            assertThat(text).as("an HTTP answer").startsWith("HTTP/1.1 ");
            return new Response(Integer.parseInt(text.substring(9, 12)), text.toLowerCase());
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
