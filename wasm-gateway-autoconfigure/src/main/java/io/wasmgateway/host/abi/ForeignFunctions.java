package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * proxy_call_foreign_function with the foreign functions every Envoy offers (source/extensions/common/wasm/
 * foreign.cc): {@code compress} (zlib's compress(): a zlib stream at the default level) and {@code uncompress}.
 * An unknown name answers NOT_FOUND and input {@code uncompress} cannot read SERIALIZATION_FAILURE, as there; an
 * empty result is returned as pointer 0 and size 0, as cpp-host does (no allocation).
 */
final class ForeignFunctions {

    /** A foreign function: the result, or null for input it cannot handle (SERIALIZATION_FAILURE). */
    static final Map<String, Function<byte[], byte[]>> BUILT_IN = Map.of(
            "compress", ForeignFunctions::compress,
            "uncompress", ForeignFunctions::uncompress);

    private static final int MAX_FUNCTION_NAME_BYTES = 256;

    private ForeignFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        // (name_ptr, name_size, args_ptr, args_size, return_results_ptr, return_results_size_ptr)
        return List.of(HostCall.status("proxy_call_foreign_function", 6, vm.logger(), args -> {
            GuestMemory memory = vm.memory();
            if (Integer.compareUnsigned(arg(args, 1), MAX_FUNCTION_NAME_BYTES) > 0) {
                return Status.NOT_FOUND;
            }
            String name = memory.readString(arg(args, 0), arg(args, 1), StandardCharsets.UTF_8);
            Function<byte[], byte[]> function = BUILT_IN.get(name);
            if (function == null) {
                return Status.NOT_FOUND;
            }
            if (Integer.compareUnsigned(arg(args, 3), Limits.MAX_GUEST_ALLOCATION_BYTES) > 0) {
                return Status.BAD_ARGUMENT;
            }
            byte[] result = function.apply(memory.read(arg(args, 2), arg(args, 3)));
            if (result == null) {
                return Status.SERIALIZATION_FAILURE;
            }
            memory.returnBytes(result, arg(args, 4), arg(args, 5));
            return Status.OK;
        }));
    }

    static byte[] compress(byte[] input) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 16);
            byte[] chunk = new byte[8192];
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** The inflated bytes, or null when the input is not one whole zlib stream or inflates past the limit. */
    static byte[] uncompress(byte[] input) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length * 2 + 2);
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(chunk, 0, n);
                if (out.size() > Limits.MAX_GUEST_ALLOCATION_BYTES) {
                    return null;
                }
            }
            return inflater.getRemaining() == 0 ? out.toByteArray() : null;
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }
}
