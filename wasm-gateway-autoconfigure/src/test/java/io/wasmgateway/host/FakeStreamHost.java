package io.wasmgateway.host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A StreamHost for tests: plain header maps, a property map, and a record of every property set. */
public class FakeStreamHost implements StreamHost {

    private final HeaderList request = new HeaderList();
    private HeaderList response;
    private final Map<List<String>, byte[]> properties = new HashMap<>();
    private final List<String> propertySets = new ArrayList<>();

    public static FakeStreamHost get(String path) {
        FakeStreamHost host = new FakeStreamHost();
        host.request.add(":method", "GET");
        host.request.add(":path", path);
        host.request.add(":authority", "example.test");
        host.request.add(":scheme", "http");
        host.request.markClean();
        return host;
    }

    public FakeStreamHost header(String name, String value) {
        request.add(name, value);
        return this;
    }

    /** Enters the response phase. */
    public HeaderList respond(int status) {
        response = new HeaderList();
        response.add(":status", Integer.toString(status));
        return response;
    }

    public FakeStreamHost property(String dottedPath, byte[] value) {
        properties.put(List.of(dottedPath.split("\\.")), value);
        return this;
    }

    /** "path=value" for each set, in order (value as ISO-8859-1 text). */
    public List<String> propertySets() {
        return propertySets;
    }

    @Override
    public HeaderList requestHeaders() {
        return request;
    }

    @Override
    public HeaderList responseHeaders() {
        return response;
    }

    @Override
    public byte[] property(List<String> path) {
        return properties.get(path);
    }

    @Override
    public boolean setProperty(List<String> path, byte[] value) {
        properties.put(List.copyOf(path), value);
        propertySets.add(String.join(".", path) + "=" + new String(value, java.nio.charset.StandardCharsets.ISO_8859_1));
        return true;
    }
}
