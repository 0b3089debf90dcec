package io.github.relayllm.langchain4j.javallama;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a whole GGUF v2/v3 file for {@link JavaLlamaCompletionBackend}: metadata and F32/F16 tensors, in the layout
 * the project's trainer writes ({@code training/gguf.py}). Tensor dimensions are stored innermost first (ggml's
 * {@code ne[0]}), so a PyTorch {@code [out, in]} weight arrives as rows of {@code in} floats, which is how the
 * forward pass reads it.
 */
final class JavaLlamaGguf {

    private static final int MAGIC = 0x46554747; // "GGUF" little-endian
    private static final int DEFAULT_ALIGNMENT = 32;
    private static final int GGML_F32 = 0;
    private static final int GGML_F16 = 1;

    private final Map<String, Object> metadata;
    private final Map<String, float[]> tensors;
    private final Map<String, long[]> shapes;

    private JavaLlamaGguf(Map<String, Object> metadata, Map<String, float[]> tensors, Map<String, long[]> shapes) {
        this.metadata = metadata;
        this.tensors = tensors;
        this.shapes = shapes;
    }

    /**
     * @param what how to name the file in messages, e.g. {@code modelPath /x/y.gguf}
     * @throws IllegalArgumentException naming the file when it is missing, not GGUF, truncated or uses a tensor type
     *                                  other than F32/F16
     */
    static JavaLlamaGguf read(Path file, String what) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " cannot be read: " + e, e);
        }
        return read(bytes, what);
    }

    /** Parses a GGUF file's bytes; {@code what} names it in messages. */
    static JavaLlamaGguf read(byte[] bytes, String what) {
        try {
            return parse(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), what);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(what + " is truncated (" + bytes.length + " bytes)", e);
        }
    }

    private static JavaLlamaGguf parse(ByteBuffer buf, String what) {
        if (buf.remaining() < 4 || buf.getInt() != MAGIC) {
            throw new IllegalArgumentException(what + " is not a GGUF file (no GGUF magic at its start)");
        }
        int version = buf.getInt();
        if (version < 2 || version > 3) {
            throw new IllegalArgumentException(what + " has GGUF version " + version + "; versions 2 and 3 are read");
        }
        long tensorCount = buf.getLong();
        long metadataCount = buf.getLong();
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (long i = 0; i < metadataCount; i++) {
            String key = string(buf);
            metadata.put(key, value(buf, buf.getInt()));
        }
        List<Object[]> infos = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = string(buf);
            int dims = buf.getInt();
            long[] shape = new long[dims];
            for (int d = 0; d < dims; d++) {
                shape[d] = buf.getLong();
            }
            infos.add(new Object[] {name, shape, buf.getInt(), buf.getLong()});
        }
        Object alignmentValue = metadata.get("general.alignment");
        int alignment = alignmentValue instanceof Number n ? n.intValue() : DEFAULT_ALIGNMENT;
        int dataStart = (buf.position() + alignment - 1) / alignment * alignment;
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Object[] info : infos) {
            String name = (String) info[0];
            long[] shape = (long[]) info[1];
            int type = (Integer) info[2];
            long offset = (Long) info[3];
            long count = 1;
            for (long d : shape) {
                count *= d;
            }
            if (count > Integer.MAX_VALUE / 4) {
                throw new IllegalArgumentException(what + ": tensor " + name + " is too large for this engine");
            }
            int at = Math.toIntExact(dataStart + offset);
            float[] values = new float[(int) count];
            if (type == GGML_F32) {
                buf.slice(at, values.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            } else if (type == GGML_F16) {
                ByteBuffer data = buf.slice(at, values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < values.length; i++) {
                    values[i] = halfToFloat(data.getShort(i * 2));
                }
            } else {
                throw new IllegalArgumentException(what + ": tensor " + name + " has ggml type " + type
                        + "; the Java engine reads F32 (0) and F16 (1) only (use the llama-cpp backend for quantised "
                        + "models)");
            }
            tensors.put(name, values);
            shapes.put(name, shape);
        }
        return new JavaLlamaGguf(metadata, tensors, shapes);
    }

    private static String string(ByteBuffer buf) {
        int length = Math.toIntExact(buf.getLong());
        byte[] bytes = new byte[length];
        buf.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Object value(ByteBuffer buf, int type) {
        switch (type) {
            case 0: return (int) (buf.get() & 0xFF);
            case 1: return (int) buf.get();
            case 2: return buf.getShort() & 0xFFFF;
            case 3: return (int) buf.getShort();
            case 4: return buf.getInt() & 0xFFFFFFFFL;
            case 5: return buf.getInt();
            case 6: return buf.getFloat();
            case 7: return buf.get() != 0;
            case 8: return string(buf);
            case 9: {
                int elementType = buf.getInt();
                long count = buf.getLong();
                List<Object> values = new ArrayList<>((int) Math.min(count, 1 << 20));
                for (long i = 0; i < count; i++) {
                    values.add(value(buf, elementType));
                }
                return values;
            }
            case 10: return buf.getLong();
            case 11: return buf.getLong();
            case 12: return buf.getDouble();
            default: throw new IllegalArgumentException("unknown GGUF metadata type " + type);
        }
    }

    /** IEEE 754 half to float, subnormals included. */
    static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h >>> 15) << 31;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    Object metadata(String key) {
        return metadata.get(key);
    }

    /** A whole-number metadata value; {@code what} names the file in the message when it is missing. */
    int integer(String key, String what) {
        Object value = metadata.get(key);
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException(what + " lacks the GGUF metadata key " + key);
        }
        return Math.toIntExact(number.longValue());
    }

    float real(String key, float defaultValue) {
        Object value = metadata.get(key);
        return value instanceof Number number ? number.floatValue() : defaultValue;
    }

    boolean bool(String key, boolean defaultValue) {
        Object value = metadata.get(key);
        return value instanceof Boolean b ? b : defaultValue;
    }

    @SuppressWarnings("unchecked")
    <T> List<T> list(String key) {
        Object value = metadata.get(key);
        return value instanceof List<?> list ? (List<T>) list : null;
    }

    String text(String key) {
        Object value = metadata.get(key);
        return value instanceof String s ? s : null;
    }

    /** The tensor's values, or null when the file has none of that name. */
    float[] tensor(String name) {
        return tensors.get(name);
    }

    /**
     * The tensor's values, checked to hold {@code count} floats.
     *
     * @throws IllegalArgumentException naming the tensor when it is missing or has another size
     */
    float[] tensor(String name, long count, String what) {
        float[] values = tensors.get(name);
        if (values == null) {
            throw new IllegalArgumentException(what + " lacks the tensor " + name);
        }
        if (values.length != count) {
            throw new IllegalArgumentException(what + ": tensor " + name + " has " + values.length + " values ("
                    + java.util.Arrays.toString(shapes.get(name)) + "), expected " + count);
        }
        return values;
    }
}
