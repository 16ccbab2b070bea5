;; host_no_allocator.wat - an ABI 0.2.1 module exporting neither proxy_on_memory_allocate nor
;; malloc: the host cannot return data to it, so loading must fail naming the missing allocator.
(module
  (memory (export "memory") 1)
  (func (export "proxy_abi_version_0_2_1"))
)
