package io.wasmgateway.host.abi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The query of a proxy_redis_call: one RESP array of bulk strings ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}), as
 * Redis clients send commands. Anything else (inline commands, other types, trailing bytes, lengths beyond the
 * data) is refused: the host must not send Redis bytes it cannot frame.
 */
final class RespQuery {

    /** Arguments one query may carry (Redis's own limit is far higher; a filter needs few). */
    static final int MAX_ARGUMENTS = 1024 * 1024;

    private RespQuery() {
    }

    /** The command and its arguments, or null when the bytes are not one well-formed RESP array of bulk strings. */
    static List<byte[]> parse(byte[] query) {
        int[] at = {0};
        long count = number(query, at, '*');
        if (count < 1 || count > MAX_ARGUMENTS || count > query.length / 4) { // "$0\r\n\r\n" is at least 6 bytes
            return null;
        }
        List<byte[]> arguments = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            long length = number(query, at, '$');
            if (length < 0 || length > query.length - at[0] - 2L) {
                return null;
            }
            int start = at[0];
            int end = start + (int) length;
            if (query[end] != '\r' || query[end + 1] != '\n') {
                return null;
            }
            arguments.add(Arrays.copyOfRange(query, start, end));
            at[0] = end + 2;
        }
        return at[0] == query.length ? arguments : null;
    }

    /** Reads "{type}{digits}\r\n" at at[0]; -1 when malformed. */
    private static long number(byte[] data, int[] at, char type) {
        int i = at[0];
        if (i >= data.length || data[i] != type) {
            return -1;
        }
        i++;
        long value = 0;
        int digits = 0;
        while (i < data.length && data[i] >= '0' && data[i] <= '9') {
            value = value * 10 + (data[i] - '0');
            if (++digits > 10) {
                return -1;
            }
            i++;
        }
        if (digits == 0 || i + 1 >= data.length || data[i] != '\r' || data[i + 1] != '\n') {
            return -1;
        }
        at[0] = i + 2;
        return value;
    }

    /** The command's name for logs: its first argument, upper case. */
    static String commandName(List<byte[]> arguments) {
        return new String(arguments.get(0), StandardCharsets.ISO_8859_1).toUpperCase(java.util.Locale.ROOT);
    }
}
