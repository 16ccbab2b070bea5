;; host_busy.wat - an ABI 0.2.1 module that traps if two calls ever run in it at once.
;;
;; proxy_on_request_headers sets a "busy" flag, spins a while, copies request header x-id into
;; x-echo, and clears the flag; it executes `unreachable` if it finds the flag already set, which
;; only happens when the host lets two threads into one instance. Used to hammer a single-instance
;; module from several threads: every request must come back with its own x-echo.
(module
  (import "env" "proxy_get_header_map_value"
    (func $get_header (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value"
    (func $add_header (param i32 i32 i32 i32 i32) (result i32)))

  (memory (export "memory") 2)
  (data (i32.const 100) "x-id")    ;; 4
  (data (i32.const 110) "x-echo")  ;; 6
  ;; 200, 204: return slots

  (global $heap (mut i32) (i32.const 4096))
  (global $busy (mut i32) (i32.const 0))
  (global $sink (mut i32) (i32.const 0))

  (func (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (if (i32.gt_u (i32.add (global.get $heap) (local.get $size)) (i32.const 131072))
      (then (global.set $heap (i32.const 4096))))
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (local.get $p))

  (func (export "proxy_abi_version_0_2_1"))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))

  (func (export "proxy_on_request_headers") (param $ctx i32) (param $count i32) (param $eos i32)
                                            (result i32)
    (local $i i32)
    (if (global.get $busy) (then (unreachable)))
    (global.set $busy (i32.const 1))
    (local.set $i (i32.const 20000))
    (loop $spin
      (global.set $sink (i32.add (global.get $sink) (local.get $i)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $spin (local.get $i)))
    (if (i32.eqz (call $get_header (i32.const 0) (i32.const 100) (i32.const 4)
                                   (i32.const 200) (i32.const 204)))
      (then
        (drop (call $add_header (i32.const 0) (i32.const 110) (i32.const 6)
                                (i32.load (i32.const 200)) (i32.load (i32.const 204))))))
    (if (i32.eqz (global.get $busy)) (then (unreachable)))
    (global.set $busy (i32.const 0))
    (i32.const 0))
)
