// Exports for the gateway's own tests (src-it ExtismPluginsTest): a plugin misbehaving in every way the
// gateway must survive, and one that shows exactly what it was handed.
import { Host } from "@extism/as-pdk";
import { JSONEncoder } from "assemblyscript-json/assembly";
import { Envelope, fail, answer } from "./envelope";

// WasmContent: answers the envelope it was handed as the body, byte for byte.
export function echo(): i32 {
  const reply = new JSONEncoder();
  reply.setInteger("status", 200);
  reply.pushObject("headers");
  reply.setString("content-type", "application/json");
  reply.popObject();
  reply.setString("body", Host.inputString());
  answer("{" + reply.toString() + "}");
  return 0;
}

// WasmContent: the same export name as json_content's, with another answer (a module reloaded in place).
export function hello(): i32 {
  answer('{"status":200,"headers":{"content-type":"text/plain"},"body":"hello from the test plugin"}');
  return 0;
}

// WasmRewrite: adds a header telling the path it saw, and sends the request to /rewritten/<path>.
export function reroute(): i32 {
  const request = Envelope.read();
  const reply = new JSONEncoder();
  reply.pushObject("headers");
  reply.setString("x-seen-path", request.text("path"));
  reply.popObject();
  reply.setString("path", "/rewritten" + request.text("path"));
  answer("{" + reply.toString() + "}");
  return 0;
}

// A reply that is not JSON.
export function not_json(): i32 {
  answer("this is not json");
  return 0;
}

// A reply with a status no HTTP response can have.
export function bad_status(): i32 {
  answer('{"status":1000,"body":"x"}');
  return 0;
}

// The plugin reports an error itself (return 1 with an Extism error).
export function refuses(): i32 {
  Envelope.read();
  return fail("refusing this request");
}

// Traps (unreachable).
export function trap(): i32 {
  unreachable();
  return 0;
}

// Never returns: only the execution budget stops it.
export function spin(): i32 {
  let n: u64 = 0;
  while (n != u64.MAX_VALUE - 1 || n == 0) {
    n = n * 31 + 7;
  }
  return <i32>n;
}
