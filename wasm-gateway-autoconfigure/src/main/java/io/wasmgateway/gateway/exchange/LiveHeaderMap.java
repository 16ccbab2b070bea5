package io.wasmgateway.gateway.exchange;

import io.wasmgateway.host.HeaderList;
import io.wasmgateway.host.HeaderMap;

/**
 * What the request's and the response's header maps share: the message's headers where they live
 * ({@link LiveHeaders}) and the pairs a filter added under a name the message cannot carry (visible to filters,
 * never sent). Subclasses put their pseudo-headers in front and decide which names are carried.
 */
abstract class LiveHeaderMap implements HeaderMap {

    /** The message's headers; a request swaps them for its writable copy on the first write. */
    protected LiveHeaders headers;

    private HeaderList others; // null until a filter adds a pair the message cannot carry

    LiveHeaderMap(LiveHeaders headers) {
        this.headers = headers;
    }

    /** The pairs of the headers and of the others, without the pseudo-headers. */
    final int headerPairs() {
        return headers.size() + (others != null ? others.size() : 0);
    }

    final long headerTextLength() {
        return headers.textLength() + (others != null ? others.textLength() : 0);
    }

    /** The carried header's value (null for a name not carried), else one the message cannot carry. */
    final String header(String name, boolean carried) {
        String value = carried ? headers.get(name) : null;
        return value != null || others == null ? value : others.get(name);
    }

    final void forEachHeader(PairVisitor visitor) {
        headers.forEach(visitor);
        if (others != null) {
            others.forEach(visitor);
        }
    }

    /** Where a pair the message cannot carry goes. */
    final HeaderList others() {
        if (others == null) {
            others = new HeaderList();
        }
        return others;
    }

    final void removeOther(String name) {
        if (others != null) {
            others.remove(name);
        }
    }

    final void clearOthers() {
        others = null;
    }

    @Override
    public final void set(String name, String value) {
        remove(name);
        add(name, value);
    }

    @Override
    public final String toString() {
        return LiveHeaders.describe(this);
    }
}
