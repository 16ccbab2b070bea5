package io.wasmgateway.host.foreign;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Inflater;

import io.wasmgateway.host.ForeignFunction;
import io.wasmgateway.host.ForeignFunction.ForeignCall;
import io.wasmgateway.host.ForeignFunctionException;
import io.wasmgateway.host.ForeignFunctions;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuiltInForeignFunctionsTest {

    private static ForeignCall call(byte[] arguments) {
        return new ForeignCall("m", arguments, LoggerFactory.getLogger("wasm.m"));
    }

    @Test
    void compressWritesTheZlibFormatThatUncompressReads() throws Exception {
        byte[] text = "hello hello hello hello hello".repeat(100).getBytes(StandardCharsets.UTF_8);

        byte[] compressed = new ZlibCompress().call(call(text));

        assertThat(compressed[0]).isEqualTo((byte) 0x78); // the zlib header (RFC 1950), as Envoy's compress()
        Inflater inflater = new Inflater();
        inflater.setInput(compressed);
        byte[] out = new byte[text.length];
        assertThat(inflater.inflate(out)).isEqualTo(text.length);
        assertThat(out).isEqualTo(text);
        assertThat(new ZlibUncompress().call(call(compressed))).isEqualTo(text);
    }

    @Test
    void uncompressAnswersSerializationFailureForBadOrTruncatedData() {
        byte[] compressed = new ZlibCompress().call(call("some text".getBytes(StandardCharsets.UTF_8)));
        byte[] truncated = java.util.Arrays.copyOf(compressed, compressed.length - 3);

        for (byte[] bad : List.of("not zlib".getBytes(StandardCharsets.UTF_8), truncated)) {
            assertThatThrownBy(() -> new ZlibUncompress().call(call(bad)))
                .isInstanceOfSatisfying(ForeignFunctionException.class,
                        ex -> assertThat(ex.status()).isEqualTo(ForeignFunctionException.SERIALIZATION_FAILURE));
        }
    }

    @Test
    void getLogLevelAnswersTheModulesLevelAsAU32InEnvoysNumbering() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("wasm.lvl");
        logger.setLevel(ch.qos.logback.classic.Level.WARN);
        try {
            assertThat(new GetLogLevel().call(new ForeignCall("lvl", new byte[0], logger)))
                .containsExactly(3, 0, 0, 0);
            logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
            assertThat(new GetLogLevel().call(new ForeignCall("lvl", new byte[0], logger)))
                .containsExactly(1, 0, 0, 0);
        }
        finally {
            logger.setLevel(null);
        }
    }

    @Test
    void anApplicationFunctionReplacesABuiltInOfTheSameName() {
        ForeignFunction own = new ForeignFunction() {

            @Override
            public String name() {
                return "compress";
            }

            @Override
            public byte[] call(ForeignCall call) {
                return new byte[] {42};
            }
        };

        ForeignFunctions functions = ForeignFunctions.withBuiltIns(List.of(own));

        assertThat(functions.find("compress")).isSameAs(own);
        assertThat(functions.names()).containsExactly("compress", "get_log_level", "uncompress");
        assertThat(functions.find("nope")).isNull();
    }
}
