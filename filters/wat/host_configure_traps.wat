;; host_configure_traps.wat - an ABI 0.2.1 module whose proxy_on_configure traps: creating a plugin
;; must fail with an error naming the module, the root id and proxy_on_configure.
(module
  (memory (export "memory") 1)
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (unreachable))
)
