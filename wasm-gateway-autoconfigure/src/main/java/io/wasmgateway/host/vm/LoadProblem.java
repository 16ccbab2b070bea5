package io.wasmgateway.host.vm;

/** Why a module cannot load, before the module's name and location are put in front of it. */
final class LoadProblem extends RuntimeException {

    LoadProblem(String reason) {
        super(reason);
    }

    LoadProblem(String reason, Throwable cause) {
        super(reason, cause);
    }
}
