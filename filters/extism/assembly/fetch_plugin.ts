// WasmContent example of a plugin making its own HTTP request (Extism's http_request): fetches the URL in the
// route's config and answers with what it got. Only loads with extism.allowed-hosts set, and only reaches those.
import { Memory } from "@extism/as-pdk";
import { http_request, length } from "@extism/as-pdk/lib/env";
import { JSONEncoder } from "assemblyscript-json/assembly";
import { Envelope, answer } from "./envelope";

export function fetch(): i32 {
  const url = Envelope.read().text("config");
  const request = new JSONEncoder();
  request.setString("method", "GET");
  request.setString("url", url);
  request.pushObject("headers");
  request.setString("x-fetched-by", "extism");
  request.popObject();
  const sent = Memory.allocateString("{" + request.toString() + "}");
  const received = http_request(sent.offset, 0);
  const body = received == 0 ? "" : new Memory(received, length(received)).toString();
  const reply = new JSONEncoder();
  reply.setInteger("status", 200);
  reply.pushObject("headers");
  reply.setString("content-type", "text/plain");
  reply.popObject();
  reply.setString("body", "fetched: " + body);
  answer("{" + reply.toString() + "}");
  return 0;
}
