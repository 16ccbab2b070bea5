package io.wasmgateway.host.foreign;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.wasmgateway.host.ForeignFunction;
import io.wasmgateway.host.ForeignFunctionException;

/**
 * Envoy's {@code uncompress}: zlib data (RFC 1950) inflated. Data that is not zlib, is cut short, or inflates
 * past {@link #MAX_BYTES} answers SERIALIZATION_FAILURE (a guest must not make the host allocate without bound).
 */
public final class ZlibUncompress implements ForeignFunction {

    /** The most one call inflates to. */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    @Override
    public String name() {
        return "uncompress";
    }

    @Override
    public byte[] call(ForeignCall call) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(call.arguments());
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, call.arguments().length * 4));
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new ForeignFunctionException(ForeignFunctionException.SERIALIZATION_FAILURE,
                            "truncated zlib data");
                }
                if (out.size() + n > MAX_BYTES) {
                    throw new ForeignFunctionException(ForeignFunctionException.SERIALIZATION_FAILURE,
                            "inflates to more than " + MAX_BYTES + " bytes");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        }
        catch (DataFormatException ex) {
            throw new ForeignFunctionException(ForeignFunctionException.SERIALIZATION_FAILURE,
                    "not zlib data: " + ex.getMessage());
        }
        finally {
            inflater.end();
        }
    }
}
