// WasmRewrite example: lets a request through only with a known API key (header x-api-key). The keys come
// from the module's Extism configuration, wasm.gateway.modules.<name>.extism.config.keys, as
// "key=user,key=user". A known key is replaced by the header x-api-user naming its user; anything else is
// answered 401 by the plugin itself, and the upstream is never called.
import { Config } from "@extism/as-pdk";
import { JSONEncoder } from "assemblyscript-json/assembly";
import { Envelope, answer } from "./envelope";

export function check(): i32 {
  const request = Envelope.read();
  const user = userOf(request.header("x-api-key"));
  const reply = new JSONEncoder();
  if (user.length > 0) {
    reply.pushObject("headers");
    reply.setString("x-api-user", user);
    reply.popObject();
    reply.pushArray("removeHeaders");
    reply.setString(null, "x-api-key");
    reply.popArray();
  } else {
    reply.pushObject("response");
    reply.setInteger("status", 401);
    reply.pushObject("headers");
    reply.setString("content-type", "application/json");
    reply.setString("www-authenticate", "ApiKey");
    reply.popObject();
    reply.setString("body", '{"error":"missing or unknown API key"}');
    reply.popObject();
  }
  answer("{" + reply.toString() + "}");
  return 0;
}

function userOf(key: string): string {
  const keys = Config.get("keys");
  if (key.length == 0 || keys == null) {
    return "";
  }
  const entries = keys!.split(",");
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i].trim();
    const eq = entry.indexOf("=");
    if (eq > 0 && entry.substring(0, eq) == key) {
      return entry.substring(eq + 1);
    }
  }
  return "";
}
