package io.wasmgateway.host;

import java.util.Optional;

/** The Proxy-Wasm ABI a module declares through its exported marker function. */
public enum AbiVersion {
    V0_1_0("proxy_abi_version_0_1_0"),
    /**
     * 0.2.0 and 0.2.1: the Go and AssemblyScript SDKs export the 0.2.0 marker. Higress's SDKs export
     * {@code 0_2_100}: 0.2.1 plus its extensions (Redis calls; the others answer UNIMPLEMENTED).
     */
    V0_2_X("proxy_abi_version_0_2_0", "proxy_abi_version_0_2_1", "proxy_abi_version_0_2_100");

    private final String[] markers;

    AbiVersion(String... markers) {
        this.markers = markers;
    }

    public static Optional<AbiVersion> fromMarker(String exportName) {
        for (AbiVersion version : values()) {
            for (String marker : version.markers) {
                if (marker.equals(exportName)) {
                    return Optional.of(version);
                }
            }
        }
        return Optional.empty();
    }

    public boolean isLegacy() {
        return this == V0_1_0;
    }
}
