;; hostile_filter.wat - a filter that misbehaves on purpose, to prove the host contains it.
;;
;; Two characters pick where and what: the VM configuration's first two bytes (read in proxy_on_vm_start), then the
;; plugin configuration's (read in proxy_on_configure, when it has two), overridden per request by the request
;; header `x-hostile` (read in every HTTP callback; a request without it follows the configuration).
;; A configuration or header of "--" (or anything unknown) behaves: every callback returns Continue.
;;
;; where: v proxy_on_vm_start, c proxy_on_configure, t proxy_on_tick (proxy_on_configure then sets a 10 ms tick),
;;        x proxy_on_context_create of an HTTP context, q proxy_on_request_headers, s proxy_on_response_headers,
;;        d proxy_on_done, l proxy_on_log,
;;        h proxy_on_http_call_response (proxy_on_request_headers calls upstream "upstream" with GET / and pauses;
;;          only from the configuration: the answer is delivered to the root context, which has no request headers)
;; what:  L an endless loop
;;        R endless recursion (the call stack runs out)
;;        U unreachable
;;        Z an integer division by zero
;;        M a load far outside linear memory
;;        G a memory.grow bomb: grows one page at a time until memory.grow fails, then (in a header callback) adds
;;          request or response header `x-grown-pages: <pages it ended with>`
;;        P passes out-of-bounds pointers to proxy_get_header_map_value and adds `x-host-status: <status>` (6)
;;        A a bogus allocator: proxy_on_memory_allocate answers 0xfffffff0 while proxy_get_header_map_value(":path")
;;          runs, and the filter adds `x-host-status: <status>` (6)
;;        B bogus return values: the callback returns 77 (neither Continue nor Pause)
(module
  (import "env" "proxy_get_buffer_bytes"
    (func $get_buffer_bytes (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value"
    (func $get_header (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value"
    (func $add_header (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_tick_period_milliseconds"
    (func $set_tick_period (param i32) (result i32)))
  (import "env" "proxy_http_call"
    (func $http_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 16: returned pointer, 20: returned size, 32: call token, 512: decimal digits
  (data (i32.const 64) "x-hostile")
  (data (i32.const 80) "x-host-status")
  (data (i32.const 96) "x-grown-pages")
  (data (i32.const 112) ":path")
  (data (i32.const 128) "upstream")
  ;; GET / to authority hostile.local, serialized: 3 pairs
  (data (i32.const 256) "\03\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\01\00\00\00\0a\00\00\00\0d\00\00\00:method\00GET\00:path\00/\00:authority\00hostile.local\00")
  (global $heap (mut i32) (i32.const 1024))
  (global $bogus_allocator (mut i32) (i32.const 0))
  (global $cfg_where (mut i32) (i32.const 45))  ;; '-'
  (global $cfg_what (mut i32) (i32.const 45))
  (global $where (mut i32) (i32.const 45))
  (global $what (mut i32) (i32.const 45))

  (func (export "proxy_abi_version_0_2_1"))

  ;; a bump allocator, reset at the start of every callback (nothing is kept across callbacks)
  (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
    (local $p i32)
    (if (global.get $bogus_allocator) (then (return (i32.const 0xfffffff0))))
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (local.get $p))

  ;; where/what from the configuration, or from the request header x-hostile when it has two bytes
  (func $choose (param $from_request i32)
    (global.set $heap (i32.const 1024))
    (global.set $where (global.get $cfg_where))
    (global.set $what (global.get $cfg_what))
    (if (i32.eqz (local.get $from_request)) (then (return)))
    (if (i32.eqz (call $get_header (i32.const 0) (i32.const 64) (i32.const 9) (i32.const 16) (i32.const 20)))
      (then
        (if (i32.ge_u (i32.load (i32.const 20)) (i32.const 2))
          (then
            (global.set $where (i32.load8_u (i32.load (i32.const 16))))
            (global.set $what (i32.load8_u (i32.add (i32.load (i32.const 16)) (i32.const 1)))))))))

  (func $recurse (param $depth i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get $depth) (i32.const 1))) (i32.const 1)))

  ;; writes the decimal of n at 512, returns its length
  (func $decimal (param $n i32) (result i32)
    (local $len i32) (local $i i32) (local $t i32)
    (local.set $t (local.get $n))
    (loop $count
      (local.set $len (i32.add (local.get $len) (i32.const 1)))
      (local.set $t (i32.div_u (local.get $t) (i32.const 10)))
      (br_if $count (local.get $t)))
    (local.set $i (local.get $len))
    (loop $digits
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (i32.store8 (i32.add (i32.const 512) (local.get $i))
        (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digits (local.get $i)))
    (local.get $len))

  (func $add_number_header (param $map i32) (param $name i32) (param $name_len i32) (param $n i32)
    (drop (call $add_header (local.get $map) (local.get $name) (local.get $name_len) (i32.const 512)
      (call $decimal (local.get $n)))))

  ;; does what $what says when $where is `here`; returns what the callback returns; map: where to report
  (func $misbehave (param $here i32) (param $map i32) (result i32)
    (local $status i32)
    (if (i32.ne (global.get $where) (local.get $here)) (then (return (i32.const 0))))
    (block $done
      (br_if $done (i32.ne (global.get $what) (i32.const 76)))  ;; L
      (loop $forever (br $forever)))
    (if (i32.eq (global.get $what) (i32.const 82))  ;; R
      (then (drop (call $recurse (i32.const 0)))))
    (if (i32.eq (global.get $what) (i32.const 85))  ;; U
      (then unreachable))
    (if (i32.eq (global.get $what) (i32.const 90))  ;; Z
      (then (drop (i32.div_s (i32.const 1) (i32.sub (global.get $where) (local.get $here))))))
    (if (i32.eq (global.get $what) (i32.const 77))  ;; M
      (then (drop (i32.load (i32.const 0x7ffffff0)))))
    (if (i32.eq (global.get $what) (i32.const 71))  ;; G
      (then
        (block $full
          (loop $grow
            (br_if $full (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
            (br $grow)))
        (if (i32.ge_s (local.get $map) (i32.const 0))
          (then (call $add_number_header (local.get $map) (i32.const 96) (i32.const 13) (memory.size))))))
    (if (i32.eq (global.get $what) (i32.const 80))  ;; P
      (then
        (local.set $status (call $get_header (i32.const 0) (i32.const 0xffffff00) (i32.const 512)
          (i32.const 0x7ffffff0) (i32.const 20)))
        (if (i32.ge_s (local.get $map) (i32.const 0))
          (then (call $add_number_header (local.get $map) (i32.const 80) (i32.const 13) (local.get $status))))))
    (if (i32.eq (global.get $what) (i32.const 65))  ;; A
      (then
        (global.set $bogus_allocator (i32.const 1))
        (local.set $status (call $get_header (i32.const 0) (i32.const 112) (i32.const 5) (i32.const 16)
          (i32.const 20)))
        (global.set $bogus_allocator (i32.const 0))
        (if (i32.ge_s (local.get $map) (i32.const 0))
          (then (call $add_number_header (local.get $map) (i32.const 80) (i32.const 13) (local.get $status))))))
    (if (i32.eq (global.get $what) (i32.const 66))  ;; B
      (then (return (i32.const 77))))
    (i32.const 0))

  (func (export "proxy_on_context_create") (param $context_id i32) (param $parent_id i32)
    (if (local.get $parent_id)
      (then
        (call $choose (i32.const 1))
        (drop (call $misbehave (i32.const 120) (i32.const -1))))))  ;; x

  (func (export "proxy_on_vm_start") (param $root_id i32) (param $size i32) (result i32)
    (global.set $heap (i32.const 1024))
    (if (i32.ge_u (local.get $size) (i32.const 2))
      (then
        (if (i32.eqz (call $get_buffer_bytes (i32.const 6) (i32.const 0) (i32.const 2) (i32.const 16)
                                             (i32.const 20)))
          (then
            (global.set $cfg_where (i32.load8_u (i32.load (i32.const 16))))
            (global.set $cfg_what (i32.load8_u (i32.add (i32.load (i32.const 16)) (i32.const 1))))))))
    (call $choose (i32.const 0))
    (if (i32.ne (call $misbehave (i32.const 118) (i32.const -1)) (i32.const 0))  ;; v
      (then (return (i32.const 77))))
    (i32.const 1))

  (func (export "proxy_on_configure") (param $root_id i32) (param $size i32) (result i32)
    (global.set $heap (i32.const 1024))
    (if (i32.ge_u (local.get $size) (i32.const 2))
      (then
        (if (i32.eqz (call $get_buffer_bytes (i32.const 7) (i32.const 0) (i32.const 2) (i32.const 16)
                                             (i32.const 20)))
          (then
            (global.set $cfg_where (i32.load8_u (i32.load (i32.const 16))))
            (global.set $cfg_what (i32.load8_u (i32.add (i32.load (i32.const 16)) (i32.const 1))))))))
    (if (i32.eq (global.get $cfg_where) (i32.const 116))  ;; t
      (then (drop (call $set_tick_period (i32.const 10)))))
    (call $choose (i32.const 0))
    (if (i32.ne (call $misbehave (i32.const 99) (i32.const -1)) (i32.const 0))  ;; c
      (then (return (i32.const 77))))
    (i32.const 1))

  (func (export "proxy_on_tick") (param $root_id i32)
    (call $choose (i32.const 0))
    (drop (call $misbehave (i32.const 116) (i32.const -1))))  ;; t

  (func (export "proxy_on_request_headers") (param $context_id i32) (param $count i32) (param $eos i32)
      (result i32)
    (call $choose (i32.const 1))
    (if (i32.eq (global.get $where) (i32.const 104))  ;; h: call upstream, wait for the answer
      (then
        (drop (call $http_call (i32.const 128) (i32.const 8) (i32.const 256) (i32.const 73) (i32.const 0)
          (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 5000) (i32.const 32)))
        (return (i32.const 1))))
    (call $misbehave (i32.const 113) (i32.const 0)))  ;; q

  (func (export "proxy_on_response_headers") (param $context_id i32) (param $count i32) (param $eos i32)
      (result i32)
    (call $choose (i32.const 1))
    (call $misbehave (i32.const 115) (i32.const 2)))  ;; s

  (func (export "proxy_on_http_call_response") (param $root_id i32) (param $token i32) (param $headers i32)
      (param $body i32) (param $trailers i32)
    (call $choose (i32.const 0))
    (drop (call $misbehave (i32.const 104) (i32.const -1))))  ;; h

  (func (export "proxy_on_done") (param $context_id i32) (result i32)
    (call $choose (i32.const 1))
    (drop (call $misbehave (i32.const 100) (i32.const -1)))  ;; d
    (i32.const 1))

  (func (export "proxy_on_log") (param $context_id i32)
    (call $choose (i32.const 1))
    (drop (call $misbehave (i32.const 108) (i32.const -1))))  ;; l

  (func (export "proxy_on_delete") (param $context_id i32))
)
