;; no_abi_marker.wat - a module with no proxy_abi_version_* export.
;;
;; Tests that the host refuses a module that does not declare which Proxy-Wasm ABI it speaks,
;; although it otherwise looks like a filter (memory, malloc, proxy_on_context_create, ...).
(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  (func (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (local.get $p))
  (func (export "proxy_on_context_create") (param $context_id i32) (param $parent_id i32))
  (func (export "proxy_on_vm_start") (param $root_id i32) (param $size i32) (result i32)
    (i32.const 1))
  (func (export "proxy_on_configure") (param $root_id i32) (param $size i32) (result i32)
    (i32.const 1))
)
