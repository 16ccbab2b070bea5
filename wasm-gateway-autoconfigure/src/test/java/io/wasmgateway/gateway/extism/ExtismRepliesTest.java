package io.wasmgateway.gateway.extism;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExtismRepliesTest {

    @Test
    void aRewriteReplyCarriesHeadersToSetAndRemoveAPathAndAQuery() {
        ExtismReplies.Rewrite rewrite = ExtismReplies.rewrite(bytes("{\"headers\":{\"x-user\":\"alice\"},"
                + "\"removeHeaders\":[\"x-api-key\"],\"path\":\"/v2/x%20y\",\"query\":\"a=1\"}"));

        assertThat(rewrite.setHeaders()).containsExactly(Map.entry("x-user", "alice"));
        assertThat(rewrite.removeHeaders()).isEqualTo(List.of("x-api-key"));
        assertThat(rewrite.path()).isEqualTo("/v2/x%20y");
        assertThat(rewrite.query()).isEqualTo("a=1");
        assertThat(rewrite.response()).isNull();
    }

    @Test
    void anEmptyOutputOrAnEmptyObjectChangesNothing() {
        for (String output : new String[] { "", "{}" }) {
            ExtismReplies.Rewrite rewrite = ExtismReplies.rewrite(bytes(output));
            assertThat(rewrite.setHeaders()).isEmpty();
            assertThat(rewrite.removeHeaders()).isEmpty();
            assertThat(rewrite.path()).isNull();
            assertThat(rewrite.query()).isNull();
            assertThat(rewrite.response()).isNull();
        }
    }

    @Test
    void aContentReplyDefaultsTo200AndAnEmptyBody() {
        ExtismReplies.Response response = ExtismReplies.content(bytes("{\"headers\":{\"x-a\":\"1\"}}"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsExactly(Map.entry("x-a", "1"));
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aBodyIsSentAsUtf8() {
        assertThat(ExtismReplies.content(bytes("{\"status\":201,\"body\":\"h\u00e9\"}")).body())
            .isEqualTo("h\u00e9".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            not json                              | the reply is not JSON
            []                                    | the reply must be a JSON object
            {"status":200}                        | the reply has an unknown field "status" (known: headers, path, query, removeHeaders, response)
            {"path":"no-slash"}                   | "path" must start with / and hold no spaces or control characters, was 'no-slash'
            {"path":"/a b"}                       | "path" must start with / and hold no spaces or control characters, was '/a b'
            {"path":1}                            | "path" must be a string
            {"headers":{"bad name":"x"}}          | "headers" has 'bad name', not a header name
            {"headers":{"x":1}}                   | "headers".x must be a string without control characters
            {"headers":{"x":"a\\nb"}}             | "headers".x must be a string without control characters
            {"removeHeaders":"x"}                 | "removeHeaders" must be an array of header names
            {"response":{"status":99}}            | "response"."status" must be a number from 200 to 599, was 99
            {"response":{"status":"200"}}         | "response"."status" must be a number from 200 to 599, was "200"
            {"response":{"code":200}}             | "response" has an unknown field "code" (known: body, headers, status)
            """)
    void anInvalidRewriteReplySaysWhatIsWrong(String output, String message) {
        assertThatThrownBy(() -> ExtismReplies.rewrite(bytes(output))).isInstanceOf(InvalidReplyException.class)
            .hasMessageStartingWith(message);
    }

    @Test
    void anEmptyContentReplyIsInvalid() {
        assertThatThrownBy(() -> ExtismReplies.content(new byte[0])).isInstanceOf(InvalidReplyException.class)
            .hasMessageStartingWith("the reply is empty");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
