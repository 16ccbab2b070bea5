package io.wasmgateway.gateway;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a wasm configuration problem as a clean "APPLICATION FAILED TO START" with description and action. */
class WasmStartupFailureAnalyzer extends AbstractFailureAnalyzer<WasmStartupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WasmStartupException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
