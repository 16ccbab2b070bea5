// Smoke tests for the example filters: runs each module against a small mock Proxy-Wasm host written
// with Node's WebAssembly API. It checks the modules, not a host: the real host (Java, Chicory) has
// its own tests. Usage: node filters/test/smoke.mjs <directory with the .wasm files>
import fs from "node:fs";
import path from "node:path";

const dir = process.argv[2] ?? path.join(path.dirname(new URL(import.meta.url).pathname), "..", "wasm");

const OK = 0, NOT_FOUND = 1, BAD_ARGUMENT = 2, SERIALIZATION_FAILURE = 3, INVALID_MEMORY_ACCESS = 6;
const UNIMPLEMENTED = 12, WASI_FAULT = 21;
const enc = new TextEncoder();
const dec = new TextDecoder("latin1");

function serializePairs(pairs) {
  const parts = [];
  let size = 4 + 8 * pairs.length;
  for (const [k, v] of pairs) size += k.length + v.length + 2;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, pairs.length, true);
  let p = 4 + 8 * pairs.length;
  pairs.forEach(([k, v], i) => {
    view.setUint32(4 + 8 * i, k.length, true);
    view.setUint32(8 + 8 * i, v.length, true);
    out.set(enc.encode(k), p); p += k.length + 1;
    out.set(enc.encode(v), p); p += v.length + 1;
  });
  return out;
}

/** Decodes the map serialization strictly; returns null when malformed. */
function decodePairs(bytes) {
  if (bytes.length === 0 || (bytes.length === 1 && bytes[0] === 0)) return [];
  if (bytes.length < 4) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true);
  if (4 + 8 * n > bytes.length) return null;
  let p = 4 + 8 * n;
  const pairs = [];
  for (let i = 0; i < n; i++) {
    const ks = view.getUint32(4 + 8 * i, true), vs = view.getUint32(8 + 8 * i, true);
    if (p + ks + 1 + vs + 1 > bytes.length) return null;
    const k = dec.decode(bytes.subarray(p, p + ks)); p += ks + 1;
    const v = dec.decode(bytes.subarray(p, p + vs)); p += vs + 1;
    pairs.push([k, v]);
  }
  return pairs;
}

class MockHost {
  constructor(file, { config = "", vmConfig = "", rootId = "", properties = {} } = {}) {
    this.bytes = fs.readFileSync(path.join(dir, file));
    this.config = enc.encode(config);
    this.vmConfig = enc.encode(vmConfig);
    this.properties = new Map(Object.entries(properties));
    this.properties.set("plugin_root_id", enc.encode(rootId));
    this.logs = [];
    this.stdout = "";
    this.nextContext = 2;
    this.stream = null;
  }

  async start() {
    const module = await WebAssembly.compile(this.bytes);
    const exportNames = WebAssembly.Module.exports(module).map((e) => e.name);
    this.abi = exportNames.includes("proxy_abi_version_0_1_0") ? "0.1.0"
      : exportNames.includes("proxy_abi_version_0_2_0") ? "0.2.0"
      : exportNames.includes("proxy_abi_version_0_2_1") ? "0.2.1" : null;
    const impl = { env: this.env(), wasi_snapshot_preview1: this.wasi(), wasi_unstable: this.wasi() };
    const imports = {};
    for (const imp of WebAssembly.Module.imports(module)) {
      imports[imp.module] ??= {};
      imports[imp.module][imp.name] = impl[imp.module]?.[imp.name] ?? (() => UNIMPLEMENTED);
    }
    this.instance = await WebAssembly.instantiate(module, imports);
    this.x = this.instance.exports;
    if (this.x._initialize) this.x._initialize();
    else if (this.x._start) this.x._start();
    return this;
  }

  startRoot() {
    this.x.proxy_on_context_create(1, 0);
    this.vmStarted = this.x.proxy_on_vm_start ? this.x.proxy_on_vm_start(1, this.vmConfig.length) : 1;
    this.configured = this.x.proxy_on_configure ? this.x.proxy_on_configure(1, this.config.length) : 1;
    return this;
  }

  /** Runs one request/response lifecycle; returns what the filter made of it. */
  request(requestHeaders, responseHeaders = [[":status", "200"]]) {
    const id = this.nextContext++;
    const s = (this.stream = { req: [...requestHeaders], resp: null, local: null, actions: [] });
    this.x.proxy_on_context_create(id, 1);
    const call = (fn, n) => (this.abi === "0.1.0" ? fn(id, n) : fn(id, n, 0));
    s.actions.push(call(this.x.proxy_on_request_headers, s.req.length));
    if (!s.local && this.x.proxy_on_response_headers) {
      s.resp = [...responseHeaders];
      s.actions.push(call(this.x.proxy_on_response_headers, s.resp.length));
    }
    if (this.x.proxy_on_done) this.x.proxy_on_done(id);
    if (this.x.proxy_on_log) this.x.proxy_on_log(id);
    if (this.x.proxy_on_delete) this.x.proxy_on_delete(id);
    this.stream = null;
    return s;
  }

  // ---- guest memory, checked as unsigned 32-bit ranges ----
  mem() { return new Uint8Array(this.x.memory.buffer); }
  ok(ptr, len) { return (ptr >>> 0) + (len >>> 0) <= this.x.memory.buffer.byteLength; }
  read(ptr, len) { return this.mem().slice(ptr >>> 0, (ptr >>> 0) + (len >>> 0)); }
  u32(ptr, v) { new DataView(this.x.memory.buffer).setUint32(ptr >>> 0, v >>> 0, true); }
  give(bytes, ptrSlot, sizeSlot) {
    if (!this.ok(ptrSlot, 4) || !this.ok(sizeSlot, 4)) return INVALID_MEMORY_ACCESS;
    const alloc = this.x.proxy_on_memory_allocate ?? this.x.malloc;
    const p = alloc(bytes.length) >>> 0;
    if (p === 0 && bytes.length > 0) return INVALID_MEMORY_ACCESS;
    this.mem().set(bytes, p);
    this.u32(ptrSlot, p);
    this.u32(sizeSlot, bytes.length);
    return OK;
  }
  map(type) {
    if (!this.stream) return null;
    if (type === 0) return this.stream.req;
    if (type === 2) return this.stream.resp;
    return null;
  }

  env() {
    const h = this;
    return {
      proxy_log(level, p, n) {
        if (!h.ok(p, n)) return INVALID_MEMORY_ACCESS;
        if (level > 5) return BAD_ARGUMENT;
        h.logs.push([level, dec.decode(h.read(p, n))]);
        return OK;
      },
      proxy_get_log_level(p) { if (!h.ok(p, 4)) return INVALID_MEMORY_ACCESS; h.u32(p, 0); return OK; },
      proxy_get_buffer_bytes(type, start, max, pp, ps) {
        const buf = type === 7 ? h.config : type === 6 ? h.vmConfig : null;
        if (!buf) return NOT_FOUND;
        return h.give(buf.subarray(start >>> 0, (start >>> 0) + (max >>> 0)), pp, ps);
      },
      proxy_get_header_map_value(type, kp, ks, pp, ps) {
        if (!h.ok(kp, ks)) return INVALID_MEMORY_ACCESS;
        const m = h.map(type);
        if (!m) return NOT_FOUND;
        const key = dec.decode(h.read(kp, ks)).toLowerCase();
        const hit = m.find(([k]) => k === key);
        if (!hit) return h.abi === "0.1.0" ? h.give(new Uint8Array(0), pp, ps) : NOT_FOUND;
        return h.give(enc.encode(hit[1]), pp, ps);
      },
      proxy_add_header_map_value(type, kp, ks, vp, vs) {
        if (!h.ok(kp, ks) || !h.ok(vp, vs)) return INVALID_MEMORY_ACCESS;
        const m = h.map(type);
        if (!m) return BAD_ARGUMENT;
        m.push([dec.decode(h.read(kp, ks)).toLowerCase(), dec.decode(h.read(vp, vs))]);
        return OK;
      },
      proxy_replace_header_map_value(type, kp, ks, vp, vs) {
        if (!h.ok(kp, ks) || !h.ok(vp, vs)) return INVALID_MEMORY_ACCESS;
        const m = h.map(type);
        if (!m) return BAD_ARGUMENT;
        const key = dec.decode(h.read(kp, ks)).toLowerCase();
        const kept = m.filter(([k]) => k !== key);
        m.length = 0;
        m.push(...kept, [key, dec.decode(h.read(vp, vs))]);
        return OK;
      },
      proxy_remove_header_map_value(type, kp, ks) {
        if (!h.ok(kp, ks)) return INVALID_MEMORY_ACCESS;
        const m = h.map(type);
        if (!m) return BAD_ARGUMENT;
        const key = dec.decode(h.read(kp, ks)).toLowerCase();
        const kept = m.filter(([k]) => k !== key);
        m.length = 0;
        m.push(...kept);
        return OK;
      },
      proxy_get_header_map_pairs(type, pp, ps) {
        const m = h.map(type);
        if (!m) return NOT_FOUND;
        return h.give(serializePairs(m), pp, ps);
      },
      proxy_set_header_map_pairs(type, p, n) {
        if (!h.ok(p, n)) return INVALID_MEMORY_ACCESS;
        const m = h.map(type);
        if (!m) return BAD_ARGUMENT;
        const pairs = decodePairs(h.read(p, n));
        if (!pairs) return SERIALIZATION_FAILURE;
        m.length = 0;
        m.push(...pairs);
        return OK;
      },
      proxy_get_property(kp, ks, pp, ps) {
        if (!h.ok(kp, ks)) return INVALID_MEMORY_ACCESS;
        const value = h.properties.get(dec.decode(h.read(kp, ks)));
        if (value === undefined) return NOT_FOUND;
        return h.give(value, pp, ps);
      },
      proxy_send_local_response(status, dp, ds, bp, bs, hp, hs, grpc) {
        if (!h.ok(dp, ds) || !h.ok(bp, bs) || !h.ok(hp, hs)) return INVALID_MEMORY_ACCESS;
        if (!h.stream) return NOT_FOUND;
        const headers = decodePairs(h.read(hp, hs));
        if (!headers) return SERIALIZATION_FAILURE;
        h.stream.local = { status, details: dec.decode(h.read(dp, ds)), body: dec.decode(h.read(bp, bs)),
          headers, grpc };
        return OK;
      },
      proxy_set_effective_context() { return OK; },
    };
  }

  wasi() {
    const h = this;
    return {
      fd_write(fd, iovs, n, pn) {
        if (!h.ok(iovs, n * 8) || !h.ok(pn, 4)) return WASI_FAULT;
        const view = new DataView(h.x.memory.buffer);
        let text = "", total = 0;
        for (let i = 0; i < n; i++) {
          const p = view.getUint32(iovs + 8 * i, true), len = view.getUint32(iovs + 8 * i + 4, true);
          if (!h.ok(p, len)) return WASI_FAULT;
          text += dec.decode(h.read(p, len));
          total += len;
        }
        if (fd === 1) h.stdout += text;
        else if (fd === 2) h.logs.push([4, text]);
        else return 8; // BADF
        h.u32(pn, total);
        return 0;
      },
      fd_fdstat_get(fd, p) {
        if (!h.ok(p, 24)) return WASI_FAULT;
        h.mem().fill(0, p, p + 24);
        h.mem()[p] = 2; // character device
        return 0;
      },
      fd_seek() { return 70; }, // ESPIPE
      fd_close() { return 0; },
      proc_exit(code) { throw new Error(`proc_exit(${code})`); },
    };
  }
}

// ---- tests ----

let passed = 0;
const failures = [];
function check(name, actual, expected) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a === e) passed++;
  else failures.push(`${name}: expected ${e}, got ${a}`);
}
const header = (pairs, name) => pairs?.filter(([k]) => k === name).map(([, v]) => v);
const le64 = (n) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigInt64(0, BigInt(n), true); return b; };
const pages = (host) => host.x.memory.buffer.byteLength / 65536;

async function headerFilter() {
  const config = "request add x-wasm-c: yes; request remove x-secret; response set server: wasm-gateway;\n" +
    " request property x-path: request.path ; request property-int x-port: destination.port\n" +
    "request property-int x-neg: test.negative; request property-int x-raw: request.path;" +
    "request property x-none: no.such.property; request add X-Upper-Case: v;;\n\n" +
    "request set :authority: example.org; response add x-empty:";
  const host = await new MockHost("header_filter.wasm", {
    config,
    properties: { "request\0path": enc.encode("/p"), "destination\0port": le64(8080), "test\0negative": le64(-42) },
  }).start();
  host.startRoot();
  check("header_filter configure", [host.vmStarted, host.configured], [1, 1]);
  check("header_filter stdout", host.stdout, "header_filter: 11 rules\n");
  const s = host.request([[":path", "/p"], [":authority", "a"], ["x-secret", "s"]], [[":status", "200"], ["server", "up"]]);
  check("header_filter actions", s.actions, [0, 0]);
  check("header_filter request", s.req, [[":path", "/p"], ["x-wasm-c", "yes"], ["x-path", "/p"], ["x-port", "8080"],
    ["x-neg", "-42"], ["x-raw", "/p"], ["x-upper-case", "v"], [":authority", "example.org"]]);
  check("header_filter response", s.resp, [[":status", "200"], ["server", "wasm-gateway"], ["x-empty", ""]]);
  for (let i = 0; i < 200; i++) host.request([[":path", "/p"], ["x-secret", "s"]]);
  const before = pages(host);
  for (let i = 0; i < 3000; i++) host.request([[":path", "/p"], ["x-secret", "s"]]);
  check("header_filter does not leak", pages(host), before);

  for (const bad of ["request add x-a: 1; bogus thing", "request remove x-b: y", "request add x-no-value",
    "request fly x: y", "request add : v", "request add two words: v", "request property x-p:"]) {
    const h = await new MockHost("header_filter.wasm", { config: bad }).start();
    h.startRoot();
    const directive = bad.split(";").pop().trim();
    check(`header_filter rejects '${bad}'`, [h.configured, h.logs.some(([l, m]) => l === 4 && m.includes(`'${directive}'`))], [0, true]);
  }
  const empty = await new MockHost("header_filter.wasm", { config: "" }).start();
  empty.startRoot();
  check("header_filter empty configuration", [empty.configured, empty.stdout], [1, "header_filter: 0 rules\n"]);
}

async function denyFilter() {
  const host = await new MockHost("deny_filter.wasm", {
    config: "path-prefix /admin; header X-Deny\nupstream-status 500\n; path-prefix /private",
  }).start();
  host.startRoot();
  check("deny_filter configure", host.configured, 1);
  const denied = { status: 403, details: "denied_by_wasm", body: "denied by wasm\n", headers: [["x-denied-by", "deny_filter"]], grpc: -1 };
  let s = host.request([[":path", "/admin/users"]]);
  check("deny_filter path-prefix", [s.actions, s.local, s.resp], [[1], denied, null]);
  s = host.request([[":path", "/private"]]);
  check("deny_filter second path-prefix", s.local?.status, 403);
  s = host.request([[":path", "/ok"], ["x-deny", ""]]);
  check("deny_filter header", [s.actions, s.local], [[1], denied]);
  s = host.request([[":path", "/ok"], ["x-deny-via-connection", "1"]]);
  check("deny_filter connection: close", s.local?.headers, [["x-denied-by", "deny_filter"], ["connection", "close"]]);
  s = host.request([[":path", "/ok"], ["x-deny-via-connection", "0"]]);
  check("deny_filter x-deny-via-connection: 0 passes", [s.actions, s.local], [[0, 0], null]);
  s = host.request([[":path", "/ok"]], [[":status", "500"]]);
  check("deny_filter upstream-status", [s.actions, s.local],
    [[0, 1], { status: 502, details: "upstream_failed", body: "upstream failed\n", headers: [["x-replaced-by", "deny_filter"]], grpc: -1 }]);
  s = host.request([[":path", "/adm"]], [[":status", "200"]]);
  check("deny_filter passes", [s.actions, s.local], [[0, 0], null]);
  for (let i = 0; i < 200; i++) host.request([[":path", "/admin"]]);
  const before = pages(host);
  for (let i = 0; i < 3000; i++) { host.request([[":path", "/admin"]]); host.request([[":path", "/x"]], [[":status", "500"]]); }
  check("deny_filter does not leak", pages(host), before);
  for (const bad of ["path-prefix", "upstream-status abc", "upstream-status 5000", "frobnicate x", "header a b"]) {
    const h = await new MockHost("deny_filter.wasm", { config: bad }).start();
    h.startRoot();
    check(`deny_filter rejects '${bad}'`, [h.configured, h.logs.some(([l, m]) => l === 4 && m.includes(`'${bad}'`))], [0, true]);
  }
}

async function asHeaderFilter() {
  const host = await new MockHost("as_header_filter.wasm", { rootId: "my_root", config: "hello as" }).start();
  check("as_header_filter ABI", host.abi, "0.2.0");
  host.startRoot();
  check("as_header_filter configure", [host.vmStarted, host.configured], [1, 1]);
  const s = host.request([[":path", "/"]]);
  check("as_header_filter request", s.req, [[":path", "/"], ["x-wasm-as", "my_root"], ["x-wasm-as-config", "hello as"]]);
  check("as_header_filter response", s.resp, [[":status", "200"], ["x-wasm-as-response", "yes"]]);
  // @solo-io/proxy-runtime 0.1.8 never frees an HTTP context that its getContext() touched (about
  // 70 bytes a request): bound it rather than deny it.
  const before = host.x.memory.buffer.byteLength;
  for (let i = 0; i < 20000; i++) { host.request([[":path", "/"]]); host.logs.length = 0; }
  const perRequest = (host.x.memory.buffer.byteLength - before) / 20000;
  check("as_header_filter leaks under 256 bytes a request", perRequest < 256, true);

  for (const [rootId, config] of [["", "root id is empty"], ["r", ""], ["", ""]]) {
    const h = (await new MockHost("as_header_filter.wasm", { rootId, config }).start()).startRoot();
    const r = h.request([[":path", "/"]]);
    check(`as_header_filter root id '${rootId}', configuration '${config}'`,
      [h.configured, header(r.req, "x-wasm-as"), header(r.req, "x-wasm-as-config")], [1, [rootId], [config]]);
  }
}

async function abi010() {
  const host = await new MockHost("abi_010_filter.wasm").start();
  check("abi_010 ABI", host.abi, "0.1.0");
  host.startRoot();
  const s = host.request([[":path", "/"]]);
  check("abi_010 request", s.req, [[":path", "/"], ["x-abi", "0.1.0"], ["x-absent-status", "0"], ["x-absent-size", "0"]]);
  check("abi_010 response", header(s.resp, "x-abi"), ["0.1.0"]);
}

async function fixtures() {
  check("no_abi_marker has no marker", (await new MockHost("no_abi_marker.wasm").start()).abi, null);
  const unknown = await WebAssembly.compile(fs.readFileSync(path.join(dir, "unknown_abi.wasm")));
  check("unknown_abi marker", WebAssembly.Module.exports(unknown).map((e) => e.name).filter((n) => n.startsWith("proxy_abi")),
    ["proxy_abi_version_9_9_9"]);
  const vm = (await new MockHost("vm_start_fails.wasm").start()).startRoot();
  check("vm_start_fails", [vm.vmStarted, vm.logs.map(([l]) => l)], [0, [4]]);
  const conf = (await new MockHost("configure_fails.wasm").start()).startRoot();
  check("configure_fails", [conf.vmStarted, conf.configured, conf.logs.map(([l]) => l)], [1, 0, [4]]);
  const all = await new MockHost("imports_everything.wasm").start();
  const imports = WebAssembly.Module.imports(await WebAssembly.compile(all.bytes));
  check("imports_everything import count", imports.length, 45 + 1 + 2 * 18);
  check("imports_everything call_unimplemented", all.x.call_unimplemented(), 12);
}

async function memoryProbe() {
  const host = (await new MockHost("memory_probe.wasm").start()).startRoot();
  host.stream = { req: [[":path", "/"]], resp: null, local: null, actions: [] };
  const expected = { log_at_end: 0, bad_log: 6, bad_log_signed: 6, log_past_end: 6, bad_get_header_key: 6,
    bad_add_header_value: 6, bad_get_property_path: 6, bad_local_response_body: 6, bad_fd_write_iovs: 21,
    bad_fd_write_buf: 21, bad_get_header_return: 6, bad_get_header_size_return: 6, bad_set_header_pairs: 3,
    bad_local_response_headers: 3 };
  for (const [probe, status] of Object.entries(expected)) check(`memory_probe ${probe}`, host.x[probe](), status);
  check("memory_probe no local response", host.stream.local, null);
  host.stream = null;
  const s = host.request([[":path", "/"]]);
  check("memory_probe x-probe-results", header(s.req, "x-probe-results"), [Object.values(expected).join(",")]);
  check("memory_probe malloc fails when full", [host.x.malloc(70000), host.x.malloc(16) !== 0], [0, true]);
}

for (const t of [headerFilter, denyFilter, asHeaderFilter, abi010, fixtures, memoryProbe]) {
  try {
    await t();
  } catch (e) {
    failures.push(`${t.name}: ${e.stack}`);
  }
}
for (const f of failures) console.error(`smoke.mjs: FAILED ${f}`);
console.log(`smoke.mjs: ${passed} checks passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
