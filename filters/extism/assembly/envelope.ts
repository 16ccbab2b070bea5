// What the gateway hands a WasmRewrite or WasmContent export (docs/filter-authoring.md, "Extism plugins"):
// {"method":"GET","path":"/x","query":"a=1","headers":{"x-api-key":"..."},"route":"id","config":"..."}
import { JSON } from "assemblyscript-json/assembly";
import { Host, LogLevel, Memory } from "@extism/as-pdk";
import { error_set } from "@extism/as-pdk/lib/env";

export class Envelope {
  constructor(private readonly json: JSON.Obj) {}

  static read(): Envelope {
    const value = JSON.parse(Host.inputString());
    if (!value.isObj) {
      throw new Error("the input is not a JSON object");
    }
    return new Envelope(<JSON.Obj>value);
  }

  text(field: string): string {
    const value = this.json.getString(field);
    return value == null ? "" : value.valueOf();
  }

  /** The request header of that (lower-case) name, or "" when the request has none. */
  header(name: string): string {
    const headers = this.json.getObj("headers");
    if (headers == null) {
      return "";
    }
    const value = headers.getString(name);
    return value == null ? "" : value.valueOf();
  }
}

// Sets the export's output. (The PDK's Host.outputString sets the string's length in UTF-16 units as the
// output's length, which cuts off the end of any output with non-ASCII characters: @extism/as-pdk 1.0.0.)
export function answer(json: string): void {
  Host.output(Uint8Array.wrap(String.UTF8.encode(json)));
}

// Ends an export with an Extism error (return code 1): the gateway logs the message and answers by the
// module's failure policy.
export function fail(message: string): i32 {
  error_set(Memory.allocateString(message).offset);
  return 1;
}

// Called by AssemblyScript on a failed assertion or error: log it, then trap.
export function abort(message: string | null, file: string | null, line: u32, column: u32): void {
  Host.log(LogLevel.Error, "abort: " + (message == null ? "" : message!) + " at "
    + (file == null ? "?" : file!) + ":" + line.toString() + ":" + column.toString());
  unreachable();
}
