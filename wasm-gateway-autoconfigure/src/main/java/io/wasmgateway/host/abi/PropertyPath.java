package io.wasmgateway.host.abi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A property path as guests send it: segments joined by {@code \0} ({@code request\0path}), possibly with a
 * trailing {@code \0}. A path without any {@code \0} is split on '.' instead ({@code request.path}), which
 * some SDKs and hand-written filters send.
 *
 * <p>Split on the bytes, each segment decoded alone (UTF-8 never has these ASCII bytes inside a multi-byte
 * character, so this is the same as decoding first): one string per segment, no copy of the whole path.
 */
public final class PropertyPath {

    private PropertyPath() {
    }

    public static List<String> parse(byte[] bytes) {
        int end = bytes.length;
        if (end == 0) {
            return List.of();
        }
        byte separator = indexOfNul(bytes) >= 0 ? 0 : (byte) '.';
        if (separator == 0 && bytes[end - 1] == 0) {
            end--;
        }
        List<String> segments = new ArrayList<>(4);
        int start = 0;
        for (int i = 0; i <= end; i++) {
            if (i == end || bytes[i] == separator) {
                segments.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return segments;
    }

    private static int indexOfNul(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
