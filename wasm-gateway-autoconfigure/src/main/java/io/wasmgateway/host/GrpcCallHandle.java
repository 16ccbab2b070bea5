package io.wasmgateway.host;

/** A started gRPC call or stream, to drive from the host. No method blocks. */
public interface GrpcCallHandle {

    /** Sends one message on a stream; {@code endOfStream} half-closes it after the message. */
    void send(byte[] message, boolean endOfStream);

    /** Half-closes a stream: nothing more is sent, the server's answers still come. */
    void halfClose();

    /** Cancels the call: the server sees a reset, the listener may hear nothing more. */
    void cancel();

    GrpcCallHandle NONE = new GrpcCallHandle() {
        @Override
        public void send(byte[] message, boolean endOfStream) {
        }

        @Override
        public void halfClose() {
        }

        @Override
        public void cancel() {
        }
    };
}
