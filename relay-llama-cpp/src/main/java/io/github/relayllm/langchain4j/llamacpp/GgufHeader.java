package io.github.relayllm.langchain4j.llamacpp;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The parts of a GGUF file's header the in-process backend needs, read and checked in Java before the file goes
 * to native code (which may crash on a file that is not GGUF or is cut short).
 * <p>
 * Checks: the magic {@code GGUF}, a supported version (2 or 3), a header that parses to its end, and a file long
 * enough to hold every tensor the header declares (for the tensor types whose size is known).
 *
 * @param architecture       {@code general.architecture}, or null
 * @param contextLength      {@code <arch>.context_length}, or 0 when absent
 * @param addBosToken        {@code tokenizer.ggml.add_bos_token}, or true when absent (llama.cpp's SPM default)
 * @param tensorCount        tensors the header declares
 * @param expectedFileSize   bytes the file needs to hold all tensors (a lower bound when a tensor type is unknown)
 */
record GgufHeader(String architecture, int contextLength, boolean addBosToken, long tensorCount,
                  long expectedFileSize) {

    private static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    private static final int DEFAULT_ALIGNMENT = 32;

    /**
     * Reads and checks {@code file}.
     *
     * @param what how messages name the file and its setting, e.g. {@code modelPath /models/x.gguf}
     */
    static GgufHeader read(Path file, String what) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(what + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(what + " is not readable");
        }
        long fileSize;
        try {
            fileSize = Files.size(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " cannot be read: " + e.getMessage(), e);
        }
        GgufHeader header;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            header = new Reader(in, fileSize, what).read();
        } catch (EOFException e) {
            throw new IllegalArgumentException(what + " is truncated: its GGUF header ends early (the file has "
                    + fileSize + " bytes)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " cannot be read: " + e.getMessage(), e);
        }
        if (fileSize < header.expectedFileSize()) {
            throw new IllegalArgumentException(what + " is truncated: its header declares " + header.tensorCount()
                    + " tensors ending at byte " + header.expectedFileSize() + ", the file has " + fileSize
                    + " bytes");
        }
        return header;
    }

    /** A forward-only little-endian reader of the header; sizes are checked against the file size first. */
    private static final class Reader {

        private final InputStream in;
        private final long fileSize;
        private final String what;
        private long position;

        Reader(InputStream in, long fileSize, String what) {
            this.in = in;
            this.fileSize = fileSize;
            this.what = what;
        }

        GgufHeader read() throws IOException {
            if (fileSize < 4) {
                throw new IllegalArgumentException(what + " is not a GGUF file (it has only " + fileSize
                        + " bytes; a GGUF file starts with 'GGUF')");
            }
            byte[] start = bytes(4);
            int magic = (start[0] & 0xff) | (start[1] & 0xff) << 8 | (start[2] & 0xff) << 16 | (start[3] & 0xff) << 24;
            if (magic != MAGIC) {
                throw new IllegalArgumentException(what + " is not a GGUF file (it starts with bytes "
                        + hex(start) + "; a GGUF file starts with 'GGUF')");
            }
            int version = u32();
            if (version != 2 && version != 3) {
                throw new IllegalArgumentException(what + " has GGUF version " + Integer.toUnsignedString(version)
                        + "; supported versions are 2 and 3");
            }
            long tensorCount = count(u64(), 8, "tensor count");
            long kvCount = count(u64(), 12, "metadata count");

            Map<String, Object> metadata = new HashMap<>();
            for (long i = 0; i < kvCount; i++) {
                String key = string();
                int type = u32();
                metadata.put(key, value(type, key));
            }
            long alignment = metadata.get("general.alignment") instanceof Number n ? n.longValue() : DEFAULT_ALIGNMENT;
            if (alignment <= 0 || Long.bitCount(alignment) != 1) {
                throw new IllegalArgumentException(what + " has an invalid general.alignment " + alignment);
            }

            long dataEnd = 0;
            for (long i = 0; i < tensorCount; i++) {
                String name = string();
                int dims = u32();
                if (dims < 0 || dims > 8) {
                    throw new IllegalArgumentException(what + " is not a valid GGUF file (tensor '" + name + "' has "
                            + Integer.toUnsignedString(dims) + " dimensions)");
                }
                long elements = 1;
                for (int d = 0; d < dims; d++) {
                    long size = u64();
                    if (size < 0 || (size > 0 && elements > Long.MAX_VALUE / size)) {
                        throw new IllegalArgumentException(what + " is not a valid GGUF file (tensor '" + name
                                + "' has an impossible shape)");
                    }
                    elements *= size;
                }
                int type = u32();
                long offset = u64();
                if (offset < 0 || offset > fileSize) {
                    throw new IllegalArgumentException(what + " is truncated: tensor '" + name + "' starts at data offset "
                            + offset + ", the file has " + fileSize + " bytes");
                }
                dataEnd = Math.max(dataEnd, offset + tensorBytes(type, elements));
            }
            long dataStart = (position + alignment - 1) / alignment * alignment;

            String architecture = metadata.get("general.architecture") instanceof String s ? s : null;
            int contextLength = architecture != null && metadata.get(architecture + ".context_length") instanceof Number n
                    ? (int) Math.min(Integer.MAX_VALUE, n.longValue()) : 0;
            boolean addBos = !(metadata.get("tokenizer.ggml.add_bos_token") instanceof Boolean b) || b;
            return new GgufHeader(architecture, contextLength, addBos, tensorCount, dataStart + dataEnd);
        }

        /** Bytes of a tensor of {@code elements} values; 0 for a type whose block size is not known here. */
        private static long tensorBytes(int type, long elements) {
            long[] block = switch (type) {
                case 0 -> new long[] {1, 4};      // F32
                case 1 -> new long[] {1, 2};      // F16
                case 2 -> new long[] {32, 18};    // Q4_0
                case 3 -> new long[] {32, 20};    // Q4_1
                case 6 -> new long[] {32, 22};    // Q5_0
                case 7 -> new long[] {32, 24};    // Q5_1
                case 8 -> new long[] {32, 34};    // Q8_0
                case 9 -> new long[] {32, 36};    // Q8_1
                case 10 -> new long[] {256, 84};  // Q2_K
                case 11 -> new long[] {256, 110}; // Q3_K
                case 12 -> new long[] {256, 144}; // Q4_K
                case 13 -> new long[] {256, 176}; // Q5_K
                case 14 -> new long[] {256, 210}; // Q6_K
                case 15 -> new long[] {256, 292}; // Q8_K
                case 24 -> new long[] {1, 1};     // I8
                case 25 -> new long[] {1, 2};     // I16
                case 26 -> new long[] {1, 4};     // I32
                case 27, 28 -> new long[] {1, 8}; // I64, F64
                case 30 -> new long[] {1, 2};     // BF16
                default -> null;
            };
            return block == null ? 0 : (elements + block[0] - 1) / block[0] * block[1];
        }

        private Object value(int type, String key) throws IOException {
            return switch (type) {
                case 0, 1 -> (long) (type == 0 ? u8() : (byte) u8());
                case 2, 3 -> {
                    int v = u8() | u8() << 8;
                    yield (long) (type == 2 ? v : (short) v);
                }
                case 4 -> Integer.toUnsignedLong(u32());
                case 5 -> (long) u32();
                case 6 -> Float.intBitsToFloat(u32());
                case 7 -> u8() != 0;
                case 8 -> string();
                case 9 -> {
                    int elementType = u32();
                    long n = count(u64(), 1, "array '" + key + "'");
                    for (long i = 0; i < n; i++) {
                        if (elementType == 9) {
                            throw new IllegalArgumentException(what + " is not a valid GGUF file (nested array '" + key + "')");
                        }
                        value(elementType, key);
                    }
                    yield null; // arrays (vocabularies) are not needed here
                }
                case 10, 11 -> u64();
                case 12 -> Double.longBitsToDouble(u64());
                default -> throw new IllegalArgumentException(what + " is not a valid GGUF file (metadata '" + key
                        + "' has unknown type " + Integer.toUnsignedString(type) + ")");
            };
        }

        private String string() throws IOException {
            long length = count(u64(), 1, "string length");
            return new String(bytes((int) Math.min(length, Integer.MAX_VALUE)), StandardCharsets.UTF_8);
        }

        /** A declared count of items of at least {@code minBytes} each must fit in the rest of the file. */
        private long count(long value, int minBytes, String name) {
            if (value < 0 || value > (fileSize - position) / minBytes) {
                throw new IllegalArgumentException(what + " is truncated or not a valid GGUF file (its " + name + " is "
                        + Long.toUnsignedString(value) + ", more than the " + fileSize + "-byte file can hold)");
            }
            return value;
        }

        private int u8() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            position++;
            return b;
        }

        private int u32() throws IOException {
            byte[] b = bytes(4);
            return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
        }

        private long u64() throws IOException {
            long low = Integer.toUnsignedLong(u32());
            long high = Integer.toUnsignedLong(u32());
            return high << 32 | low;
        }

        private byte[] bytes(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw new EOFException();
            }
            position += n;
            return b;
        }

        private static String hex(byte[] bytes) {
            StringBuilder sb = new StringBuilder();
            for (byte b : bytes) {
                sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02x", b & 0xff));
            }
            return sb.toString();
        }
    }
}
