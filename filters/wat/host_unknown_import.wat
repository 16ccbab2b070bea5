;; host_unknown_import.wat - an ABI 0.2.1 module importing a host function that does not exist
;; (env.proxy_frobnicate): loading must fail naming it.
(module
  (import "env" "proxy_frobnicate" (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
)
