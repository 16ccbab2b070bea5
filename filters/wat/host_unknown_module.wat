;; host_unknown_module.wat - an ABI 0.2.1 module importing from a module the host does not serve
;; (acme.launch): loading must fail naming it.
(module
  (import "acme" "launch" (func (result i32)))
  (memory (export "memory") 1)
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
)
