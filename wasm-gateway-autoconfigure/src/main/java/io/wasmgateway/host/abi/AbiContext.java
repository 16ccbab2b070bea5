package io.wasmgateway.host.abi;

import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.LocalResponse;

import java.util.List;

/**
 * What host functions need from the context a callback runs in (the effective context): a root context, an
 * HTTP context, or none (a host function called from a start function). The defaults answer as a context
 * without a stream does, so each implementation only says what it has.
 */
public interface AbiContext {

    /** The context id, 0 when there is no context. */
    int id();

    /** Plugin identity for the plugin_* properties, or null when there is no context. */
    PluginInfo plugin();

    /** A buffer by its {@link BufferType}, or null when it is not available here (NOT_FOUND). */
    default AbiBuffer buffer(int bufferType) {
        return null;
    }

    /** The configuration proxy_get_configuration (ABI 0.1.0) returns, or null. */
    default byte[] configuration() {
        return null;
    }

    /** A header map by its {@link MapType}, or null when it is not available here (NOT_FOUND). */
    default HeaderMap headerMap(int mapType) {
        return null;
    }

    /** A stream property (not a plugin_* one), encoded as Envoy does, or null (NOT_FOUND). */
    default byte[] property(List<String> path) {
        return null;
    }

    /** @return a {@link Status} */
    default int setProperty(List<String> path, byte[] value) {
        return Status.NOT_FOUND;
    }

    /** @return a {@link Status}; without a stream an OK no-op, as Envoy's Context without filter callbacks */
    default int sendLocalResponse(LocalResponse response) {
        return Status.OK;
    }

    /** @return a {@link Status}; without a stream an OK no-op, as Envoy's Context without filter callbacks */
    default int continueStream(int streamType) {
        return Status.OK;
    }

    /** @return a {@link Status}; without a stream an OK no-op, as Envoy's Context without filter callbacks */
    default int closeStream(int streamType) {
        return Status.OK;
    }

    /** The context of a host function called outside any callback. */
    AbiContext NONE = new AbiContext() {
        @Override
        public int id() {
            return 0;
        }

        @Override
        public PluginInfo plugin() {
            return null;
        }
    };
}
