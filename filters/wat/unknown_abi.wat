;; unknown_abi.wat - a module declaring an ABI version that does not exist (proxy_abi_version_9_9_9).
;;
;; Tests that the host refuses unknown ABI markers instead of guessing, and names the marker
;; it found in its error.
(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  (func (export "proxy_abi_version_9_9_9"))
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
