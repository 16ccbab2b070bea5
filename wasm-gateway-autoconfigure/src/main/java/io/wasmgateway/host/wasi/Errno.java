package io.wasmgateway.host.wasi;

/** The WASI preview 1 errno values this host answers itself. */
final class Errno {

    static final int SUCCESS = 0;
    static final int BADF = 8;
    static final int FAULT = 21;
    static final int INVAL = 28;
    static final int NOSYS = 52;

    private Errno() {
    }
}
