package io.wasmgateway.host;

import java.util.List;
import java.util.Map;

/**
 * Hears what the server of a gRPC call or stream sends, in this order: initial metadata (at most once), messages,
 * then exactly one {@link #onClose}. May be called from any thread, never concurrently for one call.
 */
public interface GrpcCallListener {

    void onInitialMetadata(List<Map.Entry<String, String>> metadata);

    void onMessage(byte[] message);

    /**
     * The call is over.
     *
     * @param status the gRPC status code (0 OK, 4 DEADLINE_EXCEEDED, 14 UNAVAILABLE, ...)
     * @param message the status message, possibly empty
     * @param trailers the trailing metadata the server sent; empty when the call ended without it (a failed
     *     connection, a deadline, a cancellation)
     */
    void onClose(int status, String message, List<Map.Entry<String, String>> trailers);
}
