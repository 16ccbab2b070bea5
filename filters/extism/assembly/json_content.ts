// WasmContent example: a small JSON endpoint served by the plugin alone (a route with uri: no://op). It
// answers {"message":..., "method":..., "path":..., "query":...}, the message from the module's Extism
// configuration (extism.config.greeting, default "hello").
import { Config } from "@extism/as-pdk";
import { JSONEncoder } from "assemblyscript-json/assembly";
import { Envelope, answer } from "./envelope";

export function hello(): i32 {
  const request = Envelope.read();
  const greeting = Config.get("greeting");
  const body = new JSONEncoder();
  body.setString("message", greeting == null ? "hello" : greeting!);
  body.setString("method", request.text("method"));
  body.setString("path", request.text("path"));
  body.setString("query", request.text("query"));
  const reply = new JSONEncoder();
  reply.setInteger("status", 200);
  reply.pushObject("headers");
  reply.setString("content-type", "application/json");
  reply.popObject();
  reply.setString("body", "{" + body.toString() + "}");
  answer("{" + reply.toString() + "}");
  return 0;
}
