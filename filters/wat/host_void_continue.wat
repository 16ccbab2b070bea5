;; host_void_continue.wat - an ABI 0.1.0 module declaring proxy_continue_request and
;; proxy_continue_response without a result (as some old binaries do): they must still link (the
;; host drops the status). proxy_on_request_headers (0.1.0: two parameters) calls
;; proxy_continue_request and returns Pause, so the request resumes right after the callback.
(module
  (import "env" "proxy_continue_request" (func $continue_request))
  (import "env" "proxy_continue_response" (func $continue_response))
  (memory (export "memory") 1)
  (func (export "proxy_abi_version_0_1_0"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $count i32) (result i32)
    (call $continue_request)
    (i32.const 1))
)
