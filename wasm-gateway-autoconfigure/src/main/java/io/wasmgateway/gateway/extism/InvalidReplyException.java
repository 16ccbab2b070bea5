package io.wasmgateway.gateway.extism;

/** A plugin's output that is not the documented JSON reply: what is wrong with it. */
class InvalidReplyException extends RuntimeException {

    InvalidReplyException(String what) {
        super(what, null, false, false);
    }
}
