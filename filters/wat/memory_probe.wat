;; memory_probe.wat - an ABI 0.2.1 module that hands the host bad pointers and lengths.
;;
;; Tests the host's bounds checking: every pointer/length pair a guest passes must be checked
;; (as unsigned 32-bit values, without 32-bit wrap-around) before the host reads or writes guest
;; memory. A host function given a bad range answers INVALID_MEMORY_ACCESS (6) (WASI functions:
;; errno FAULT, 21) and never throws into the host or traps the guest.
;;
;; Memory: exactly one page (64 KiB, maximum 1: it cannot grow). "edge!" is stored in its last
;; five bytes (65531..65535). `malloc` is a bump allocator over [4096, 65536) that returns 0 once
;; the page is used up (so a host's handling of a failed guest allocation can be tested too);
;; `reset_heap` empties it.
;;
;; Probe exports, each () -> i32 returning the status the host answered, with the expected value:
;;   log_at_end                 proxy_log(INFO, 65531, 5): the last 5 bytes of memory       -> 0
;;   bad_log                    proxy_log(INFO, 0xFFFFFFF0, 100): ptr+len wraps around u32  -> 6
;;   bad_log_signed             proxy_log(INFO, 0x7FFFFFFF, 2): ptr+len overflows an i32    -> 6
;;   log_past_end               proxy_log(INFO, 65532, 5): one byte past the end            -> 6
;;   bad_get_header_key         proxy_get_header_map_value(request, key 0xFFFFFF00 len 512) -> 6
;;   bad_add_header_value       proxy_add_header_map_value(request, "x-probe", value 64 len
;;                              0x7FFFFFFF)                                                 -> 6
;;   bad_get_property_path      proxy_get_property(path 0xFFFFFFF0 len 32, ...)             -> 6
;;   bad_local_response_body    proxy_send_local_response(403, ..., body 0xFFFF0000 len 100,
;;                              valid empty headers, -1)                                   -> 6
;;   bad_fd_write_iovs          wasi fd_write(1, iovs 0xFFFFFFF8, 1 iovec, ...)             -> 21
;;   bad_fd_write_buf           wasi fd_write(1, one iovec {buf 65500, len 100}, ...)       -> 21
;; Probes that need a request (call them while the host has a current HTTP context, e.g. from
;; a test's on-request-headers hook; outside one the host may answer NOT_FOUND/BAD_ARGUMENT first):
;;   bad_get_header_return      proxy_get_header_map_value(request, ":path", value-pointer
;;                              slot 0xFFFFFFF8, size slot valid)                            -> 6
;;   bad_get_header_size_return proxy_get_header_map_value(request, ":path", value-pointer
;;                              slot valid, size slot 65534: only 2 of its 4 bytes exist)   -> 6
;;   bad_set_header_pairs       proxy_set_header_map_pairs(request, a 12-byte map claiming
;;                              1000 pairs)          -> non-zero (3 SERIALIZATION_FAILURE or 6)
;;   bad_local_response_headers proxy_send_local_response(403, ..., headers = one pair whose key
;;                              length is 0xFFFFFFFF)  -> non-zero (3 or 6), no local response
;;
;; proxy_on_request_headers runs every probe above, in the order listed, and adds request header
;;   x-probe-results: <status>,<status>,...   (14 decimal statuses)
;; so a gateway-level test can check them all: expected "0,6,6,6,6,6,6,6,21,21,6,6,<nz>,<nz>".
(module
  (import "env" "proxy_log" (func $proxy_log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value"
    (func $proxy_get_header_map_value (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value"
    (func $proxy_add_header_map_value (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_header_map_pairs"
    (func $proxy_set_header_map_pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_property" (func $proxy_get_property (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_send_local_response"
    (func $proxy_send_local_response (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))

  (memory (export "memory") 1 1)

  ;; Layout
  (data (i32.const 16) "x-probe")          ;; 7 bytes
  (data (i32.const 32) ":path")            ;; 5 bytes
  (data (i32.const 48) "probe")            ;; 5 bytes: details / log text
  (data (i32.const 64) "\00\00\00\00")     ;; an empty serialized map (count 0)
  ;; 80: a 12-byte map claiming 1000 pairs
  (data (i32.const 80) "\e8\03\00\00\00\00\00\00\00\00\00\00")
  ;; 96: one pair whose key length is 0xFFFFFFFF, value length 0, then "\00\00"
  (data (i32.const 96) "\01\00\00\00\ff\ff\ff\ff\00\00\00\00\00\00")
  ;; 128: returned-pointer slot, 132: returned-size slot
  ;; 144: iovec {buf 65500, len 100}
  (data (i32.const 144) "\dc\ff\00\00\64\00\00\00")
  ;; 176: nwritten slot
  (data (i32.const 256) "x-probe-results")  ;; 15 bytes
  ;; 512..: results text
  (data (i32.const 65531) "edge!")

  (global $heap (mut i32) (i32.const 4096))
  (global $cursor (mut i32) (i32.const 512))

  (func (export "malloc") (param $size i32) (result i32)
    (local $p i32) (local $end i32)
    (local.set $p (global.get $heap))
    (local.set $end (i32.and (i32.add (i32.add (local.get $p) (local.get $size)) (i32.const 7))
                             (i32.const -8)))
    (if (i32.or (i32.lt_u (local.get $end) (local.get $p))
                (i32.gt_u (local.get $end) (i32.const 65536)))
      (then (return (i32.const 0))))
    (global.set $heap (local.get $end))
    (local.get $p))

  (func $reset_heap (export "reset_heap")
    (global.set $heap (i32.const 4096)))

  (func (export "proxy_abi_version_0_2_1"))
  (func (export "proxy_on_context_create") (param $context_id i32) (param $parent_id i32))
  (func (export "proxy_on_vm_start") (param $root_id i32) (param $size i32) (result i32)
    (i32.const 1))
  (func (export "proxy_on_configure") (param $root_id i32) (param $size i32) (result i32)
    (i32.const 1))

  ;; ---- probes ----

  (func $log_at_end (export "log_at_end") (result i32)
    (call $proxy_log (i32.const 2) (i32.const 65531) (i32.const 5)))

  (func $bad_log (export "bad_log") (result i32)
    (call $proxy_log (i32.const 2) (i32.const 0xFFFFFFF0) (i32.const 100)))

  (func $bad_log_signed (export "bad_log_signed") (result i32)
    (call $proxy_log (i32.const 2) (i32.const 0x7FFFFFFF) (i32.const 2)))

  (func $log_past_end (export "log_past_end") (result i32)
    (call $proxy_log (i32.const 2) (i32.const 65532) (i32.const 5)))

  (func $bad_get_header_key (export "bad_get_header_key") (result i32)
    (call $proxy_get_header_map_value (i32.const 0) (i32.const 0xFFFFFF00) (i32.const 512)
                                      (i32.const 128) (i32.const 132)))

  (func $bad_add_header_value (export "bad_add_header_value") (result i32)
    (call $proxy_add_header_map_value (i32.const 0) (i32.const 16) (i32.const 7)
                                      (i32.const 64) (i32.const 0x7FFFFFFF)))

  (func $bad_get_property_path (export "bad_get_property_path") (result i32)
    (call $proxy_get_property (i32.const 0xFFFFFFF0) (i32.const 32) (i32.const 128) (i32.const 132)))

  (func $bad_local_response_body (export "bad_local_response_body") (result i32)
    (call $proxy_send_local_response (i32.const 403) (i32.const 48) (i32.const 5)
                                     (i32.const 0xFFFF0000) (i32.const 100)
                                     (i32.const 64) (i32.const 4) (i32.const -1)))

  (func $bad_fd_write_iovs (export "bad_fd_write_iovs") (result i32)
    (call $fd_write (i32.const 1) (i32.const 0xFFFFFFF8) (i32.const 1) (i32.const 176)))

  (func $bad_fd_write_buf (export "bad_fd_write_buf") (result i32)
    (call $fd_write (i32.const 1) (i32.const 144) (i32.const 1) (i32.const 176)))

  (func $bad_get_header_return (export "bad_get_header_return") (result i32)
    (call $proxy_get_header_map_value (i32.const 0) (i32.const 32) (i32.const 5)
                                      (i32.const 0xFFFFFFF8) (i32.const 132)))

  (func $bad_get_header_size_return (export "bad_get_header_size_return") (result i32)
    (call $proxy_get_header_map_value (i32.const 0) (i32.const 32) (i32.const 5)
                                      (i32.const 128) (i32.const 65534)))

  (func $bad_set_header_pairs (export "bad_set_header_pairs") (result i32)
    (call $proxy_set_header_map_pairs (i32.const 0) (i32.const 80) (i32.const 12)))

  (func $bad_local_response_headers (export "bad_local_response_headers") (result i32)
    (call $proxy_send_local_response (i32.const 403) (i32.const 48) (i32.const 5)
                                     (i32.const 48) (i32.const 5)
                                     (i32.const 96) (i32.const 14) (i32.const -1)))

  ;; ---- results header ----

  ;; Appends the decimal form of unsigned $v (and a ',' unless $last) at $cursor.
  (func $append (param $v i32) (param $last i32)
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
      (i32.store8 (i32.add (global.get $cursor) (local.get $i))
                  (i32.add (i32.rem_u (local.get $v) (i32.const 10)) (i32.const 48)))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $fill (local.get $i)))
    (global.set $cursor (i32.add (global.get $cursor) (local.get $len)))
    (if (i32.eqz (local.get $last))
      (then
        (i32.store8 (global.get $cursor) (i32.const 44))
        (global.set $cursor (i32.add (global.get $cursor) (i32.const 1))))))

  (func (export "proxy_on_request_headers") (param $context_id i32) (param $headers i32)
                                            (param $end_of_stream i32) (result i32)
    (call $reset_heap)
    (global.set $cursor (i32.const 512))
    (call $append (call $log_at_end) (i32.const 0))
    (call $append (call $bad_log) (i32.const 0))
    (call $append (call $bad_log_signed) (i32.const 0))
    (call $append (call $log_past_end) (i32.const 0))
    (call $append (call $bad_get_header_key) (i32.const 0))
    (call $append (call $bad_add_header_value) (i32.const 0))
    (call $append (call $bad_get_property_path) (i32.const 0))
    (call $append (call $bad_local_response_body) (i32.const 0))
    (call $append (call $bad_fd_write_iovs) (i32.const 0))
    (call $append (call $bad_fd_write_buf) (i32.const 0))
    (call $append (call $bad_get_header_return) (i32.const 0))
    (call $append (call $bad_get_header_size_return) (i32.const 0))
    (call $append (call $bad_set_header_pairs) (i32.const 0))
    (call $append (call $bad_local_response_headers) (i32.const 1))
    (drop (call $proxy_add_header_map_value (i32.const 0) (i32.const 256) (i32.const 15)
                                            (i32.const 512)
                                            (i32.sub (global.get $cursor) (i32.const 512))))
    (i32.const 0))

  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
  (func (export "proxy_on_log") (param i32))
  (func (export "proxy_on_delete") (param i32))
)
