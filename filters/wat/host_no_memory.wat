;; host_no_memory.wat - an ABI 0.2.1 module that exports no memory: loading must fail saying so.
(module
  (memory 1)
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
)
