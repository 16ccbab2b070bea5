;; abi_010_filter.wat - a filter that speaks Proxy-Wasm ABI 0.1.0.
;;
;; Tests the host's 0.1.0 support:
;;   - the proxy_abi_version_0_1_0 marker selects ABI 0.1.0;
;;   - the allocator is the deprecated `malloc` export (no proxy_on_memory_allocate);
;;   - `_initialize` is exported and does nothing;
;;   - the 0.1.0 header callbacks take (context_id, header_count), with no end_of_stream;
;;   - the 0.1.0-only imports proxy_continue_request(), proxy_continue_response() and
;;     proxy_get_configuration(ptr, ptr), all returning i32, link (they are never called);
;;   - proxy_get_header_map_value of a missing header: 0.1.0 answers OK with an empty value.
;;
;; Behaviour:
;;   proxy_on_request_headers  adds request header  x-abi: 0.1.0
;;                             reads header x-absent, then adds
;;                               x-absent-status: <returned status, decimal>  (0 expected)
;;                               x-absent-size:   <returned size, decimal>    (0 expected)
;;   proxy_on_response_headers adds response header x-abi: 0.1.0
;;
;; Memory: one page; a bump allocator above 4096 that is reset at the start of each header
;; callback (nothing the module allocates lives longer than one callback).
(module
  (import "env" "proxy_log" (func $proxy_log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value"
    (func $proxy_get_header_map_value (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value"
    (func $proxy_add_header_map_value (param i32 i32 i32 i32 i32) (result i32)))
  ;; ABI 0.1.0 only; imported to prove that they link.
  (import "env" "proxy_continue_request" (func $proxy_continue_request (result i32)))
  (import "env" "proxy_continue_response" (func $proxy_continue_response (result i32)))
  (import "env" "proxy_get_configuration" (func $proxy_get_configuration (param i32 i32) (result i32)))

  (memory (export "memory") 1)

  (data (i32.const 16) "x-abi")            ;; 5 bytes
  (data (i32.const 32) "0.1.0")            ;; 5 bytes
  (data (i32.const 48) "x-absent")         ;; 8 bytes
  (data (i32.const 64) "x-absent-status")  ;; 15 bytes
  (data (i32.const 96) "x-absent-size")    ;; 13 bytes
  ;; 128: returned value pointer, 132: returned value size, 160: decimal scratch

  (global $heap (mut i32) (i32.const 4096))

  ;; Bump allocator (8-byte aligned); grows memory as needed; returns 0 on failure.
  (func $malloc (export "malloc") (param $size i32) (result i32)
    (local $p i32) (local $end i32)
    (local.set $p (global.get $heap))
    (local.set $end (i32.and (i32.add (i32.add (local.get $p) (local.get $size)) (i32.const 7))
                             (i32.const -8)))
    (if (i32.lt_u (local.get $end) (local.get $p)) (then (return (i32.const 0))))
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then
        (if (i32.eq
              (memory.grow (i32.sub (i32.shr_u (i32.add (local.get $end) (i32.const 65535))
                                               (i32.const 16))
                                    (memory.size)))
              (i32.const -1))
          (then (return (i32.const 0))))))
    (global.set $heap (local.get $end))
    (local.get $p))

  ;; Writes the decimal form of unsigned $v at $dst; returns its length.
  (func $utoa (param $v i32) (param $dst i32) (result i32)
    (local $len i32) (local $t i32) (local $i i32)
    (local.set $t (local.get $v))
    (local.set $len (i32.const 1))
    (block $done
      (loop $count
        (br_if $done (i32.lt_u (local.get $t) (i32.const 10)))
        (local.set $t (i32.div_u (local.get $t) (i32.const 10)))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))
        (br $count)))
    (local.set $i (local.get $len))
    (loop $fill
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (i32.store8 (i32.add (local.get $dst) (local.get $i))
                  (i32.add (i32.rem_u (local.get $v) (i32.const 10)) (i32.const 48)))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $fill (local.get $i)))
    (local.get $len))

  (func (export "proxy_abi_version_0_1_0"))
  (func (export "_initialize"))

  (func (export "proxy_on_context_create") (param $context_id i32) (param $parent_id i32))
  (func (export "proxy_on_vm_start") (param $root_id i32) (param $size i32) (result i32)
    (i32.const 1))
  (func (export "proxy_on_configure") (param $root_id i32) (param $size i32) (result i32)
    (i32.const 1))

  (func (export "proxy_on_request_headers") (param $context_id i32) (param $headers i32) (result i32)
    (local $status i32)
    (global.set $heap (i32.const 4096))
    (drop (call $proxy_add_header_map_value (i32.const 0) (i32.const 16) (i32.const 5)
                                            (i32.const 32) (i32.const 5)))
    (i32.store (i32.const 128) (i32.const 0))
    (i32.store (i32.const 132) (i32.const 0))
    (local.set $status (call $proxy_get_header_map_value (i32.const 0) (i32.const 48) (i32.const 8)
                                                         (i32.const 128) (i32.const 132)))
    (drop (call $proxy_add_header_map_value (i32.const 0) (i32.const 64) (i32.const 15)
                                            (i32.const 160)
                                            (call $utoa (local.get $status) (i32.const 160))))
    (drop (call $proxy_add_header_map_value (i32.const 0) (i32.const 96) (i32.const 13)
                                            (i32.const 160)
                                            (call $utoa (i32.load (i32.const 132)) (i32.const 160))))
    (i32.const 0))

  (func (export "proxy_on_response_headers") (param $context_id i32) (param $headers i32) (result i32)
    (global.set $heap (i32.const 4096))
    (drop (call $proxy_add_header_map_value (i32.const 2) (i32.const 16) (i32.const 5)
                                            (i32.const 32) (i32.const 5)))
    (i32.const 0))

  (func (export "proxy_on_done") (param $context_id i32) (result i32) (i32.const 1))
  (func (export "proxy_on_log") (param $context_id i32))
  (func (export "proxy_on_delete") (param $context_id i32))
)
