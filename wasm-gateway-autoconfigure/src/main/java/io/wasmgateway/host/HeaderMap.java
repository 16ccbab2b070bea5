package io.wasmgateway.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An ordered, mutable list of header pairs as a filter sees them: names in lower case (pseudo-headers such as
 * {@code :path} included), values as Java strings holding one char per byte (ISO-8859-1), so any byte a client
 * sent reaches the filter unchanged. Several pairs may share a name. Not thread-safe: a map belongs to one
 * request and is touched by one callback at a time.
 */
public final class HeaderMap {

    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private long textLength; // the sum of all names' and values' lengths, kept so size checks cost no scan
    private boolean modified;

    public int size() {
        return names.size();
    }

    public String name(int index) {
        return names.get(index);
    }

    public String value(int index) {
        return values.get(index);
    }

    /** The sum of the lengths of all names and values (chars, which are bytes here). */
    public long textLength() {
        return textLength;
    }

    /** The first value of the name (lower-cased before lookup), or null. */
    public String get(String name) {
        String key = lower(name);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(key)) {
                return values.get(i);
            }
        }
        return null;
    }

    /** All values of the name, in order. */
    public List<String> getAll(String name) {
        String key = lower(name);
        List<String> all = new ArrayList<>(1);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(key)) {
                all.add(values.get(i));
            }
        }
        return all;
    }

    public void add(String name, String value) {
        names.add(lower(name));
        values.add(value);
        textLength += name.length() + value.length();
        modified = true;
    }

    /** Replaces every value of the name with one value (adds it when absent). */
    public void set(String name, String value) {
        remove(name);
        add(name, value);
    }

    public void remove(String name) {
        String key = lower(name);
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equals(key)) {
                textLength -= names.remove(i).length() + values.remove(i).length();
                modified = true;
            }
        }
    }

    /** Replaces all pairs. */
    public void replaceAll(List<Map.Entry<String, String>> pairs) {
        names.clear();
        values.clear();
        textLength = 0;
        for (Map.Entry<String, String> pair : pairs) {
            names.add(lower(pair.getKey()));
            values.add(pair.getValue());
            textLength += pair.getKey().length() + pair.getValue().length();
        }
        modified = true;
    }

    /** Whether a filter changed this map since {@link #markClean()}. */
    public boolean isModified() {
        return modified;
    }

    public void markClean() {
        modified = false;
    }

    private static String lower(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return name;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < names.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(names.get(i)).append('=').append(values.get(i));
        }
        return text.append('}').toString();
    }
}
