package io.wasmgateway.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link HeaderMap} that is a plain list of its own: names stored in lower case, values as given. Used where the
 * host itself holds the pairs (an outbound call's answer, gRPC metadata) and by tests and the test kit.
 */
public final class HeaderList implements HeaderMap {

    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private long textLength; // the sum of all names' and values' lengths, kept so size checks cost no scan
    private boolean modified;

    @Override
    public int size() {
        return names.size();
    }

    public String name(int index) {
        return names.get(index);
    }

    public String value(int index) {
        return values.get(index);
    }

    @Override
    public long textLength() {
        return textLength;
    }

    @Override
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

    @Override
    public void add(String name, String value) {
        names.add(lower(name));
        values.add(value);
        textLength += name.length() + value.length();
        modified = true;
    }

    @Override
    public void set(String name, String value) {
        remove(name);
        add(name, value);
    }

    @Override
    public void remove(String name) {
        String key = lower(name);
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equals(key)) {
                textLength -= names.remove(i).length() + values.remove(i).length();
                modified = true;
            }
        }
    }

    @Override
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

    @Override
    public void forEach(PairVisitor visitor) {
        for (int i = 0; i < names.size(); i++) {
            visitor.pair(names.get(i), values.get(i));
        }
    }

    /** Whether a filter changed this map since {@link #markClean()}. */
    public boolean isModified() {
        return modified;
    }

    public void markClean() {
        modified = false;
    }

    private static String lower(String name) {
        return HeaderMap.lowerCase(name);
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
