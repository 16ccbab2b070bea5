package io.wasmgateway.host.vm;

import com.dylibso.chicory.wasm.types.NameCustomSection;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest functions on the stack at a trap, innermost first, by name when the module has a name section
 * (Go, Rust and C++ SDK binaries do) and by index otherwise. Read from the Java stack trace: Chicory's compiler
 * turns wasm function {@code n} into a method {@code func_n}. The interpreter leaves no such frames, so a trap
 * there has no guest stack.
 */
final class GuestStack {

    static final int MAX_FRAMES = 12;

    private static final String METHOD_PREFIX = "func_";

    private GuestStack() {
    }

    /**
     * "f <- g <- h", "f <- g (x200) <- ...", or null when no guest frame is known; from the first of the error
     * and its causes that has guest frames.
     */
    static String describe(Throwable error, NameCustomSection names) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            String stack = describeOwn(current, names);
            if (stack != null) {
                return stack;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }

    private static String describeOwn(Throwable error, NameCustomSection names) {
        List<String> frames = new ArrayList<>();
        List<Integer> repeats = new ArrayList<>();
        int seen = 0;
        for (StackTraceElement element : error.getStackTrace()) {
            Integer index = functionIndex(element.getMethodName());
            if (index == null) {
                continue;
            }
            String name = nameOf(index, names);
            int last = frames.size() - 1;
            if (last >= 0 && frames.get(last).equals(name)) {
                repeats.set(last, repeats.get(last) + 1); // recursion: one entry with a count
            } else if (frames.size() < MAX_FRAMES) {
                frames.add(name);
                repeats.add(1);
            }
            seen++;
        }
        if (frames.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < frames.size(); i++) {
            if (i > 0) {
                text.append(" <- ");
            }
            text.append(frames.get(i));
            if (repeats.get(i) > 1) {
                text.append(" (x").append(repeats.get(i)).append(')');
            }
            shown += repeats.get(i);
        }
        if (shown < seen) {
            text.append(" <- ...");
        }
        return text.toString();
    }

    private static Integer functionIndex(String method) {
        if (!method.startsWith(METHOD_PREFIX) || method.length() == METHOD_PREFIX.length()) {
            return null;
        }
        for (int i = METHOD_PREFIX.length(); i < method.length(); i++) {
            if (!Character.isDigit(method.charAt(i))) {
                return null;
            }
        }
        try {
            return Integer.parseInt(method.substring(METHOD_PREFIX.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String nameOf(int index, NameCustomSection names) {
        String name = names == null ? null : names.nameOfFunction(index);
        return name != null ? name : "#" + index;
    }
}
