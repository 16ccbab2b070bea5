;; configure_fails.wat - an ABI 0.2.1 module whose proxy_on_configure returns 0 (false).
;;
;; Tests that the host treats a plugin that rejects its configuration as failed (and reports it),
;; rather than serving requests with it. proxy_on_vm_start succeeds; proxy_on_configure logs
;; "configure_fails: rejecting configuration" at error level, then returns 0.
(module
  (import "env" "proxy_log" (func $proxy_log (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "configure_fails: rejecting configuration")  ;; 40 bytes
  (global $heap (mut i32) (i32.const 1024))
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (local.get $p))
  (func (export "proxy_on_context_create") (param $context_id i32) (param $parent_id i32))
  (func (export "proxy_on_vm_start") (param $root_id i32) (param $size i32) (result i32)
    (i32.const 1))
  (func (export "proxy_on_configure") (param $root_id i32) (param $size i32) (result i32)
    (drop (call $proxy_log (i32.const 4) (i32.const 16) (i32.const 40)))
    (i32.const 0))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0))
)
