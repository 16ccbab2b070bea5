package io.wasmgateway.host.abi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A property path as guests send it: segments joined by {@code \0} ({@code request\0path}), possibly with a
 * trailing {@code \0}. A path without any {@code \0} is split on '.' instead ({@code request.path}), which
 * some SDKs and hand-written filters send.
 */
public final class PropertyPath {

    private PropertyPath() {
    }

    public static List<String> parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return List.of();
        }
        char separator = text.indexOf('\0') >= 0 ? '\0' : '.';
        if (separator == '\0' && text.charAt(text.length() - 1) == '\0') {
            text = text.substring(0, text.length() - 1);
        }
        List<String> segments = new ArrayList<>(4);
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == separator) {
                segments.add(text.substring(start, i));
                start = i + 1;
            }
        }
        return segments;
    }
}
