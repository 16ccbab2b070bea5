;; host_reactor_main.wat - an ABI 0.2.1 reactor exporting both _initialize and main(argc, argv):
;; the host calls _initialize, then main(0, 0). Each logs its name at info level ("_initialize",
;; "main"); main logs "main: bad arguments" at error level unless both arguments are 0.
(module
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "_initialize")          ;; 11
  (data (i32.const 32) "main")                 ;; 4
  (data (i32.const 48) "main: bad arguments")  ;; 19
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "_initialize")
    (drop (call $log (i32.const 2) (i32.const 16) (i32.const 11))))
  (func (export "main") (param $argc i32) (param $argv i32) (result i32)
    (if (i32.or (local.get $argc) (local.get $argv))
      (then (drop (call $log (i32.const 4) (i32.const 48) (i32.const 19)))))
    (drop (call $log (i32.const 2) (i32.const 32) (i32.const 4)))
    (i32.const 0))
)
