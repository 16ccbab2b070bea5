package io.wasmgateway.host;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A header map as a filter sees it: ordered pairs, several of which may share a name, names compared without
 * regard to ASCII case and given to the guest in lower case (pseudo-headers such as {@code :path} included),
 * values as Java strings holding one char per byte (ISO-8859-1), so any byte a client sent reaches the filter
 * unchanged. The host serialises a map straight from {@link #forEach} into guest memory, so an implementation
 * may be a view over the proxy's own headers ({@link HeaderList} is a plain list). Not thread-safe: a map
 * belongs to one request and is touched by one callback at a time.
 */
public interface HeaderMap {

    /** The number of pairs. */
    int size();

    /** The sum of the lengths of all names and values (chars, which are bytes here): Envoy's byteSize(). */
    long textLength();

    /** The first value of the name (any case), or null. */
    String get(String name);

    /** Adds a pair at the end. */
    void add(String name, String value);

    /** Replaces every value of the name with one value (adds it when absent). */
    void set(String name, String value);

    /** Removes every pair of the name. */
    void remove(String name);

    /** Replaces all pairs. */
    void replaceAll(List<Map.Entry<String, String>> pairs);

    /**
     * Every pair in order. Names may come in the case the proxy keeps them in; whoever hands them to a guest
     * lower-cases them (ASCII), as {@link #lowerCase} does.
     */
    void forEach(PairVisitor visitor);

    /** Receives the pairs of {@link #forEach}. */
    @FunctionalInterface
    interface PairVisitor {

        void pair(CharSequence name, CharSequence value);
    }

    /** The name in lower case; the same instance when it has no upper-case ASCII letter (no copy). */
    static String lowerCase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }
}
