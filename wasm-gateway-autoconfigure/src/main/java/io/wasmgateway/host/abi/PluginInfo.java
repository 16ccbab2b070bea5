package io.wasmgateway.host.abi;

/**
 * Who a context belongs to: answered by the host itself as the {@code plugin_name}, {@code plugin_root_id}
 * and {@code plugin_vm_id} properties, in root and HTTP contexts alike.
 *
 * @param name the module's name
 * @param rootId the effective root id ("" when none)
 * @param vmId the vm_id
 */
public record PluginInfo(String name, String rootId, String vmId) {
}
