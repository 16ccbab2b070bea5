package io.wasmgateway.host.wat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WatCompilerTest {

    @Test
    void compilesTheTextFormatToABinary() {
        byte[] wasm = WatCompiler.compile("tiny.wat", "(module (memory (export \"memory\") 1))"
            .getBytes(StandardCharsets.UTF_8));

        assertThat(wasm).startsWith(0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00);
    }

    @Test
    void anErrorShowsTheFileTheLineAndTheColumnWithoutTerminalColours() {
        byte[] text = "(module\n  (func\n    (i32.bogus)))\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> WatCompiler.compile("bad.wat", text)).isInstanceOf(WatSyntaxException.class)
            .hasMessageStartingWith("bad.wat:3:6: error: unexpected token \"i32.bogus\"")
            .hasMessageNotContaining("\u001B");
    }

    @Test
    void recognisesTextLocationsByTheirEnding() {
        assertThat(WatCompiler.isWat("file:/etc/filters/f.WAT")).isTrue();
        assertThat(WatCompiler.isWat("classpath:filters/f.wasm")).isFalse();
    }
}
