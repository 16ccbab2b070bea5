;; host_start_exit.wat - an ABI 0.2.1 "command" module: no _initialize, a _start that writes
;; "started" to stdout through WASI fd_write and then calls proc_exit(0), which is a normal end of
;; start-up, not an error.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "started\n")                 ;; 8 bytes
  (data (i32.const 32) "\10\00\00\00\08\00\00\00")  ;; iovec {16, 8}
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 48)))
    (call $proc_exit (i32.const 0)))
)
