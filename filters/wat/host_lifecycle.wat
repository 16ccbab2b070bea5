;; host_lifecycle.wat - an ABI 0.2.1 module for the host's context lifecycle tests: pause and
;; resumption (also from another context through proxy_set_effective_context), local responses,
;; proxy_close_stream, traps, and the order of the finishing callbacks.
;;
;; proxy_on_request_headers looks at request headers and does the first that applies:
;;   x-trap                  unreachable (a trap)
;;   x-recurse               recurses without end (the JVM's StackOverflowError, to be contained)
;;   x-resume                proxy_set_effective_context(<last paused context>),
;;                           proxy_continue_stream(HTTP_REQUEST), returns Continue
;;   x-respond-paused        proxy_set_effective_context(<last paused context>), then
;;                           proxy_send_local_response(429, "slow_down", "later\n", [], -1); Continue
;;   x-continue-then-pause   proxy_continue_stream(HTTP_REQUEST), then returns Pause (1)
;;   x-respond-then-continue proxy_send_local_response(401, "no", "", [], -1), returns Continue
;;   x-stop-all              remembers this context as paused, returns StopAllIterationAndBuffer (3)
;;   x-close                 proxy_close_stream(HTTP_REQUEST), returns Pause
;;   x-bad-effective         traps unless proxy_set_effective_context(4242) answers BAD_ARGUMENT (2)
;;   (none)                  remembers this context as paused, returns Pause (1)
;; proxy_on_response_headers pauses (remembering the context) when the response has x-pause,
;; else continues.
;; Every HTTP context records its life through proxy_set_property("trace", <event>): "create" in
;; proxy_on_context_create, then "done", "log" and "delete" in the finishing callbacks.
(module
  (import "env" "proxy_get_header_map_value"
    (func $get_header (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_property" (func $set_property (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_effective_context" (func $set_effective (param i32) (result i32)))
  (import "env" "proxy_continue_stream" (func $continue_stream (param i32) (result i32)))
  (import "env" "proxy_close_stream" (func $close_stream (param i32) (result i32)))
  (import "env" "proxy_send_local_response"
    (func $local_response (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))

  (memory (export "memory") 2)

  (data (i32.const 100) "x-trap")                   ;; 6
  (data (i32.const 110) "x-resume")                 ;; 8
  (data (i32.const 120) "x-respond-paused")         ;; 16
  (data (i32.const 140) "x-continue-then-pause")    ;; 21
  (data (i32.const 170) "x-respond-then-continue")  ;; 23
  (data (i32.const 200) "x-stop-all")               ;; 10
  (data (i32.const 215) "x-close")                  ;; 7
  (data (i32.const 225) "x-bad-effective")          ;; 15
  (data (i32.const 245) "x-pause")                  ;; 7
  (data (i32.const 260) "trace")                    ;; 5
  (data (i32.const 270) "create")                   ;; 6
  (data (i32.const 280) "done")                     ;; 4
  (data (i32.const 290) "log")                      ;; 3
  (data (i32.const 300) "delete")                   ;; 6
  (data (i32.const 310) "slow_down")                ;; 9
  (data (i32.const 320) "later\n")                  ;; 6
  (data (i32.const 330) "no")                       ;; 2
  (data (i32.const 340) "\00\00\00\00")             ;; an empty serialized map
  (data (i32.const 350) "x-recurse")                ;; 9
  ;; 400, 404: return slots of proxy_get_header_map_value

  (global $heap (mut i32) (i32.const 4096))
  (global $paused (mut i32) (i32.const 0))

  ;; A bump allocator over the second page, reset when it would run out (nothing here lives long).
  (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
    (local $p i32)
    (if (i32.gt_u (i32.add (global.get $heap) (local.get $size)) (i32.const 131072))
      (then (global.set $heap (i32.const 4096))))
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (local.get $p))

  (func (export "proxy_abi_version_0_2_1"))

  (func $has (param $map i32) (param $key i32) (param $len i32) (result i32)
    (i32.eqz (call $get_header (local.get $map) (local.get $key) (local.get $len)
                               (i32.const 400) (i32.const 404))))

  (func $recurse (param $n i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))

  (func $trace (param $event i32) (param $len i32)
    (drop (call $set_property (i32.const 260) (i32.const 5) (local.get $event) (local.get $len))))

  (func (export "proxy_on_context_create") (param $context_id i32) (param $parent_id i32)
    (if (local.get $parent_id) (then (call $trace (i32.const 270) (i32.const 6)))))

  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))

  (func (export "proxy_on_request_headers") (param $ctx i32) (param $count i32) (param $eos i32)
                                            (result i32)
    (if (call $has (i32.const 0) (i32.const 100) (i32.const 6)) (then (unreachable)))
    (if (call $has (i32.const 0) (i32.const 350) (i32.const 9))
      (then (return (call $recurse (i32.const 0)))))
    (if (call $has (i32.const 0) (i32.const 110) (i32.const 8))
      (then
        (drop (call $set_effective (global.get $paused)))
        (drop (call $continue_stream (i32.const 0)))
        (return (i32.const 0))))
    (if (call $has (i32.const 0) (i32.const 120) (i32.const 16))
      (then
        (drop (call $set_effective (global.get $paused)))
        (drop (call $local_response (i32.const 429) (i32.const 310) (i32.const 9) (i32.const 320)
                                    (i32.const 6) (i32.const 340) (i32.const 4) (i32.const -1)))
        (return (i32.const 0))))
    (if (call $has (i32.const 0) (i32.const 140) (i32.const 21))
      (then
        (drop (call $continue_stream (i32.const 0)))
        (return (i32.const 1))))
    (if (call $has (i32.const 0) (i32.const 170) (i32.const 23))
      (then
        (drop (call $local_response (i32.const 401) (i32.const 330) (i32.const 2) (i32.const 320)
                                    (i32.const 0) (i32.const 340) (i32.const 4) (i32.const -1)))
        (return (i32.const 0))))
    (if (call $has (i32.const 0) (i32.const 200) (i32.const 10))
      (then
        (global.set $paused (local.get $ctx))
        (return (i32.const 3))))
    (if (call $has (i32.const 0) (i32.const 215) (i32.const 7))
      (then
        (drop (call $close_stream (i32.const 0)))
        (return (i32.const 1))))
    (if (call $has (i32.const 0) (i32.const 225) (i32.const 15))
      (then
        (if (i32.ne (call $set_effective (i32.const 4242)) (i32.const 2)) (then (unreachable)))
        (return (i32.const 0))))
    (global.set $paused (local.get $ctx))
    (i32.const 1))

  (func (export "proxy_on_response_headers") (param $ctx i32) (param $count i32) (param $eos i32)
                                             (result i32)
    (if (call $has (i32.const 2) (i32.const 245) (i32.const 7))
      (then
        (global.set $paused (local.get $ctx))
        (return (i32.const 1))))
    (i32.const 0))

  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (call $trace (i32.const 280) (i32.const 4))
    (i32.const 1))
  (func (export "proxy_on_log") (param $ctx i32)
    (call $trace (i32.const 290) (i32.const 3)))
  (func (export "proxy_on_delete") (param $ctx i32)
    (call $trace (i32.const 300) (i32.const 6)))
)
