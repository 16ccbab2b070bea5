;; host_trap_named.wat - traps two calls deep in proxy_on_request_headers, with a name section
;; (built with wat2wasm --debug-names, as every *_named.wat): the trap's message names the guest functions on
;; the stack, innermost first.
(module
  (memory (export "memory") 1)
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func $inner (unreachable))
  (func $middle (call $inner))
  (func $on_request_headers (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (call $middle)
    (i32.const 0))
)
