// as_header_filter: an example Proxy-Wasm filter built with the published AssemblyScript SDK
// (@solo-io/proxy-runtime 0.1.8, assemblyscript 0.14.13). It proves that the host runs a real
// SDK-built module, with the SDK's own start-up, allocator, context bookkeeping and configuration
// handling.
//
// Behaviour:
//   request headers:  adds `x-wasm-as: <root id>` (the plugin_root_id property, read through the SDK)
//                     adds `x-wasm-as-config: <plugin configuration>` (read through the SDK)
//   response headers: adds `x-wasm-as-response: yes`
//
// The SDK looks a root context factory up by the exact root id the host reports; to work under any
// root id the host chooses, proxy_on_context_create below registers our factory for that root id
// before handing over to the SDK's own proxy_on_context_create.

// Every callback the SDK's "@solo-io/proxy-runtime/proxy" module exports, except
// proxy_on_context_create, which we wrap below (AssemblyScript 0.14 rejects a local export that
// shadows a star re-export, so the list is explicit).
export { malloc, free } from "@solo-io/proxy-runtime/malloc";
export {
  proxy_abi_version_0_2_0,
  proxy_on_vm_start,
  proxy_validate_configuration,
  proxy_on_configure,
  proxy_on_tick,
  proxy_on_foreign_function,
  proxy_on_queue_ready,
  proxy_on_request_headers,
  proxy_on_request_body,
  proxy_on_request_trailers,
  proxy_on_request_metadata,
  proxy_on_response_headers,
  proxy_on_response_body,
  proxy_on_response_trailers,
  proxy_on_response_metadata,
  proxy_on_http_call_response,
  proxy_on_grpc_receive_initial_metadata,
  proxy_on_grpc_trailing_metadata,
  proxy_on_grpc_receive,
  proxy_on_grpc_close,
  proxy_on_done,
  proxy_on_log,
  proxy_on_delete,
} from "@solo-io/proxy-runtime/exports";

import {
  RootContext,
  Context,
  registerRootContext,
  FilterHeadersStatusValues,
  stream_context,
} from "@solo-io/proxy-runtime";
import { get_property, get_buffer_bytes, BufferTypeValues } from "@solo-io/proxy-runtime/runtime";
import { proxy_on_context_create as sdk_on_context_create } from "@solo-io/proxy-runtime/exports";

// The root id of the root context being created (AssemblyScript 0.14 has no closures).
let creating_root_id: string = "";

class HeaderRoot extends RootContext {
  root_id: string;
  configuration: string = "";

  constructor(context_id: u32, root_id: string) {
    super(context_id);
    this.root_id = root_id;
  }

  // The SDK's own onConfigure runs first, quirks included: it passes configuration_size as the
  // *pointer* for the returned size (so the host writes 4 bytes at that address), and it decodes the
  // buffer only if a stale size left by an earlier host call is non-zero, so its getConfiguration()
  // is "" whenever the root id is "". We then read the configuration again with the SDK's
  // get_buffer_bytes helper, which passes proper pointers.
  onConfigure(configuration_size: u32): bool {
    if (!super.onConfigure(configuration_size)) {
      return false;
    }
    const bytes = get_buffer_bytes(BufferTypeValues.PluginConfiguration, 0, configuration_size);
    this.configuration = String.UTF8.decode(bytes);
    return true;
  }

  createContext(context_id: u32): Context {
    return new HeaderContext(context_id, this);
  }
}

class HeaderContext extends Context {
  constructor(context_id: u32, root_context: HeaderRoot) {
    super(context_id, root_context);
  }

  onRequestHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    const root = this.root_context as HeaderRoot;
    stream_context.headers.request.add("x-wasm-as", root.root_id);
    stream_context.headers.request.add("x-wasm-as-config", root.configuration);
    return FilterHeadersStatusValues.Continue;
  }

  onResponseHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    stream_context.headers.response.add("x-wasm-as-response", "yes");
    return FilterHeadersStatusValues.Continue;
  }
}

function newHeaderRoot(context_id: u32): RootContext {
  return new HeaderRoot(context_id, creating_root_id);
}

export function proxy_on_context_create(context_id: u32, parent_context_id: u32): void {
  if (parent_context_id == 0) {
    // get_property is the SDK's helper: it reads the property into a buffer the host allocates with
    // our exported malloc, and aborts (proc_exit) unless the host answers OK.
    const bytes = get_property("plugin_root_id");
    creating_root_id = bytes.byteLength == 0 ? "" : String.UTF8.decode(bytes);
    registerRootContext(newHeaderRoot, creating_root_id);
  }
  sdk_on_context_create(context_id, parent_context_id);
}
