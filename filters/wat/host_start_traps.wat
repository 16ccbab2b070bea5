;; host_start_traps.wat - an ABI 0.2.1 reactor whose _initialize traps: loading must fail naming
;; the start function.
(module
  (memory (export "memory") 1)
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "_initialize") (unreachable))
)
