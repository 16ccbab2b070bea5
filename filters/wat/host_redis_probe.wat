;; host_redis_probe.wat - a module declaring Higress's ABI marker (proxy_abi_version_0_2_100) that lets host
;; tests call the Redis host functions directly, like host_probe.wat: each import has a wrapper export
;; "probe:env.<name>" with the same parameters, returning the host's status.
;;
;; proxy_on_redis_call_response records its arguments in memory: root context id at 256, callout id at 260,
;; status at 264, response size at 268, and the status of reading buffer 9 (the reply) at 272, the reply
;; itself through the return slots at 512 (pointer) and 516 (size); the count of answers at 276.
;;
;; Memory: 2 pages; `malloc` is a bump allocator from 65536. Tests put their data in [1024, 65536).
(module
  (import "env" "proxy_redis_init" (func $proxy_redis_init (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_redis_call" (func $proxy_redis_call (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_bytes" (func $proxy_get_buffer_bytes (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_status" (func $proxy_get_buffer_status (param i32 i32 i32) (result i32)))
  (import "env" "proxy_inject_encoded_data_to_filter_chain" (func $proxy_inject_encoded_data_to_filter_chain (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_upstream_hosts" (func $proxy_get_upstream_hosts (param i32 i32) (result i32)))
  (import "env" "proxy_set_upstream_override_host" (func $proxy_set_upstream_override_host (param i32 i32) (result i32)))

  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 65536))

  (func (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (if (i32.gt_u (i32.add (global.get $heap) (local.get $size)) (i32.const 131072))
      (then (return (i32.const 0))))
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (local.get $p))

  (func (export "proxy_abi_version_0_2_100"))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))

  (func (export "proxy_on_redis_call_response") (param $root i32) (param $token i32) (param $status i32) (param $size i32)
    (i32.store (i32.const 256) (local.get $root))
    (i32.store (i32.const 260) (local.get $token))
    (i32.store (i32.const 264) (local.get $status))
    (i32.store (i32.const 268) (local.get $size))
    (i32.store (i32.const 512) (i32.const 0))
    (i32.store (i32.const 516) (i32.const 0))
    (i32.store (i32.const 272)
      (call $proxy_get_buffer_bytes (i32.const 9) (i32.const 0) (local.get $size) (i32.const 512) (i32.const 516)))
    (i32.store (i32.const 276) (i32.add (i32.load (i32.const 276)) (i32.const 1))))

  (func (export "probe:env.proxy_redis_init") (param i32 i32 i32 i32 i32 i32 i32) (result i32)
    (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6)
    (call $proxy_redis_init))
  (func (export "probe:env.proxy_redis_call") (param i32 i32 i32 i32 i32) (result i32)
    (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (call $proxy_redis_call))
  (func (export "probe:env.proxy_get_buffer_status") (param i32 i32 i32) (result i32)
    (local.get 0) (local.get 1) (local.get 2) (call $proxy_get_buffer_status))
  (func (export "probe:env.proxy_inject_encoded_data_to_filter_chain") (param i32 i32 i32) (result i32)
    (local.get 0) (local.get 1) (local.get 2) (call $proxy_inject_encoded_data_to_filter_chain))
  (func (export "probe:env.proxy_get_upstream_hosts") (param i32 i32) (result i32)
    (local.get 0) (local.get 1) (call $proxy_get_upstream_hosts))
  (func (export "probe:env.proxy_set_upstream_override_host") (param i32 i32) (result i32)
    (local.get 0) (local.get 1) (call $proxy_set_upstream_override_host)))
