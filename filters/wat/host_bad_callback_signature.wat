;; host_bad_callback_signature.wat - an ABI 0.2.1 module exporting two callbacks with signatures the host does
;; not call them with: 0.1.0's two-argument proxy_on_request_headers, and a proxy_on_done that returns nothing.
;; proxy-wasm-cpp-host refuses such a module ("Bad function signature for: ..."); loading must fail naming both.
(module
  (memory (export "memory") 1)
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "proxy_on_request_headers") (param i32 i32) (result i32) (i32.const 0))
  (func (export "proxy_on_done") (param i32))
)
