package io.github.relayllm.langchain4j.javallama;

import java.io.ByteArrayOutputStream;
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
import java.util.Random;

/**
 * Writes small random Llama GGUF files with the tiny models' tokenizer (the vocabulary of {@code training/tokenizer.py}:
 * {@code <unk>}, five control tokens, four user-defined tokens, 256 byte tokens, newline and printable ASCII) for the
 * Java engine's unit tests. Weights are drawn with a large spread so that greedy choices are clear-cut.
 * The output rows of special and byte tokens are zero, so the models write printable characters only.
 */
final class JavaLlamaTestFiles {

    static final List<String> CONTROL = List.of("<s>", "</s>", "<|im_start|>", "<|im_end|>", "<|endoftext|>");
    static final List<String> USER_DEFINED = List.of("<call>", "</call>", "<think>", "</think>");

    /** The id of the first character token (newline); lower ids are special and byte tokens. */
    static final int FIRST_CHARACTER = 1 + 5 + 4 + 256;

    private JavaLlamaTestFiles() {
    }

    /** The project's vocabulary: pieces and token types, in id order. */
    static List<Object[]> vocabulary() {
        List<Object[]> vocabulary = new ArrayList<>();
        vocabulary.add(new Object[] {"<unk>", 2});
        CONTROL.forEach(piece -> vocabulary.add(new Object[] {piece, 3}));
        USER_DEFINED.forEach(piece -> vocabulary.add(new Object[] {piece, 4}));
        for (int b = 0; b < 256; b++) {
            vocabulary.add(new Object[] {String.format("<0x%02X>", b), 6});
        }
        vocabulary.add(new Object[] {"\n", 1});
        for (char c = 0x20; c < 0x7F; c++) {
            vocabulary.add(new Object[] {c == ' ' ? "\u2581" : String.valueOf(c), 1});
        }
        return vocabulary;
    }

    /**
     * A random model file.
     *
     * @param tiedOutput whether the file lacks an {@code output} tensor (the embeddings are reused)
     */
    static Path randomModel(Path folder, int dim, int layers, int heads, int kvHeads, int ffn, int context,
                            boolean tiedOutput, long seed) throws IOException {
        List<Object[]> vocabulary = vocabulary();
        int vocab = vocabulary.size();
        Random random = new Random(seed);
        int headDim = dim / heads;
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("general.architecture", "llama");
        metadata.put("general.alignment", 32);
        metadata.put("llama.vocab_size", vocab);
        metadata.put("llama.context_length", context);
        metadata.put("llama.embedding_length", dim);
        metadata.put("llama.block_count", layers);
        metadata.put("llama.feed_forward_length", ffn);
        metadata.put("llama.attention.head_count", heads);
        metadata.put("llama.attention.head_count_kv", kvHeads);
        metadata.put("llama.rope.dimension_count", headDim);
        metadata.put("llama.rope.freq_base", 10000f);
        metadata.put("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        metadata.put("tokenizer.ggml.model", "llama");
        metadata.put("tokenizer.ggml.tokens", vocabulary.stream().map(v -> (String) v[0]).toList());
        metadata.put("tokenizer.ggml.token_type", vocabulary.stream().map(v -> (Integer) v[1]).toList());
        metadata.put("tokenizer.ggml.bos_token_id", 1);
        metadata.put("tokenizer.ggml.eos_token_id", 4);
        metadata.put("tokenizer.ggml.unknown_token_id", 0);
        metadata.put("tokenizer.ggml.add_bos_token", true);
        metadata.put("tokenizer.ggml.add_space_prefix", false);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("token_embd.weight", new long[] {dim, vocab});
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            shapes.put(p + "attn_norm.weight", new long[] {dim});
            shapes.put(p + "attn_q.weight", new long[] {dim, dim});
            shapes.put(p + "attn_k.weight", new long[] {dim, (long) kvHeads * headDim});
            shapes.put(p + "attn_v.weight", new long[] {dim, (long) kvHeads * headDim});
            shapes.put(p + "attn_output.weight", new long[] {dim, dim});
            shapes.put(p + "ffn_norm.weight", new long[] {dim});
            shapes.put(p + "ffn_gate.weight", new long[] {dim, ffn});
            shapes.put(p + "ffn_up.weight", new long[] {dim, ffn});
            shapes.put(p + "ffn_down.weight", new long[] {ffn, dim});
        }
        shapes.put("output_norm.weight", new long[] {dim});
        if (!tiedOutput) {
            shapes.put("output.weight", new long[] {dim, vocab});
        }
        Map<String, float[]> tensors = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            long count = 1;
            for (long d : shape) {
                count *= d;
            }
            float[] values = new float[(int) count];
            boolean norm = name.endsWith("norm.weight");
            for (int i = 0; i < values.length; i++) {
                values[i] = norm ? 1f + 0.1f * (float) random.nextGaussian() : 0.5f * (float) random.nextGaussian();
            }
            if (name.equals("output.weight") || (tiedOutput && name.equals("token_embd.weight"))) {
                // rows of zeros (logit 0) for the special and byte tokens: the model writes printable characters,
                // whose text tokenizes back to the same ids
                java.util.Arrays.fill(values, 0, FIRST_CHARACTER * dim, 0f);
            }
            tensors.put(name, values);
        });
        Path file = Files.createTempFile(folder, "random-", ".gguf");
        Files.write(file, gguf(metadata, shapes, tensors));
        return file;
    }

    static byte[] gguf(Map<String, Object> metadata, Map<String, long[]> shapes, Map<String, float[]> tensors)
            throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(le(4).putInt(0x46554747).array());
        head.write(le(4).putInt(3).array());
        head.write(le(8).putLong(tensors.size()).array());
        head.write(le(8).putLong(metadata.size()).array());
        for (Map.Entry<String, Object> entry : metadata.entrySet()) {
            string(head, entry.getKey());
            value(head, entry.getValue(), true);
        }
        long offset = 0;
        List<byte[]> blobs = new ArrayList<>();
        for (Map.Entry<String, float[]> entry : tensors.entrySet()) {
            long[] shape = shapes.get(entry.getKey());
            string(head, entry.getKey());
            head.write(le(4).putInt(shape.length).array());
            for (long d : shape) {
                head.write(le(8).putLong(d).array());
            }
            head.write(le(4).putInt(0).array()); // F32
            head.write(le(8).putLong(offset).array());
            ByteBuffer data = le(pad(entry.getValue().length * 4));
            data.asFloatBuffer().put(entry.getValue());
            blobs.add(data.array());
            offset += data.capacity();
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        byte[] header = head.toByteArray();
        file.write(header);
        file.write(new byte[pad(header.length) - header.length]);
        for (byte[] blob : blobs) {
            file.write(blob);
        }
        return file.toByteArray();
    }

    private static int pad(int n) {
        return (n + 31) / 32 * 32;
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void string(ByteArrayOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write(le(8).putLong(bytes.length).array());
        out.write(bytes);
    }

    private static void value(ByteArrayOutputStream out, Object value, boolean typed) throws IOException {
        if (value instanceof String s) {
            if (typed) {
                out.write(le(4).putInt(8).array());
            }
            string(out, s);
        } else if (value instanceof Integer i) {
            if (typed) {
                out.write(le(4).putInt(5).array());
            }
            out.write(le(4).putInt(i).array());
        } else if (value instanceof Float f) {
            if (typed) {
                out.write(le(4).putInt(6).array());
            }
            out.write(le(4).putFloat(f).array());
        } else if (value instanceof Boolean b) {
            if (typed) {
                out.write(le(4).putInt(7).array());
            }
            out.write(b ? 1 : 0);
        } else if (value instanceof List<?> list) {
            out.write(le(4).putInt(9).array());
            out.write(le(4).putInt(list.get(0) instanceof String ? 8 : 5).array());
            out.write(le(8).putLong(list.size()).array());
            for (Object element : list) {
                value(out, element, false);
            }
        } else {
            throw new IllegalArgumentException("unsupported metadata value " + value);
        }
    }
}
