package io.github.relayllm.langchain4j.javallama;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tokenizer of the project's tiny models as llama.cpp builds it from their GGUF ({@code tokenizer.ggml.model =
 * llama}, all scores 0, {@code add_space_prefix = false}; see {@code training/tokenizer.py}): special tokens
 * (unknown, control and user-defined) are split out first, longest match first; every other character is its own
 * token (a space is stored as {@code U+2581}); a character outside the vocabulary falls back to its UTF-8 bytes as
 * {@code <0xNN>} tokens. With one token per character and no multi-character normal pieces, SPM has nothing to
 * merge, so this is exact for these models; a GGUF with multi-character normal pieces is rejected at load time.
 */
final class JavaLlamaTokenizer {

    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int USER_DEFINED = 4;
    static final int BYTE = 6;

    private static final char SPACE_PIECE = '\u2581';
    /** Control tokens llama.cpp also treats as end of generation, besides the EOS id. */
    private static final Set<String> END_OF_GENERATION = Set.of("<|im_end|>", "<|endoftext|>", "<|eot_id|>",
            "<|end|>", "<end_of_turn>", "<|eom_id|>", "<EOT>");

    private final String[] pieces;
    private final int[] types;
    private final Map<Integer, Integer> codePointToId = new HashMap<>();
    private final int[] byteToId = new int[256];
    private final List<String> specials = new ArrayList<>();
    private final Map<String, Integer> specialToId = new HashMap<>();
    private final boolean[] endOfGeneration;
    private final int bosId;
    private final int eosId;
    private final int unknownId;
    private final boolean addBos;

    JavaLlamaTokenizer(List<String> pieces, List<? extends Number> types, int bosId, int eosId, int unknownId,
                       boolean addBos, String what) {
        this.pieces = pieces.toArray(new String[0]);
        this.types = new int[pieces.size()];
        this.bosId = bosId;
        this.eosId = eosId;
        this.unknownId = unknownId;
        this.addBos = addBos;
        this.endOfGeneration = new boolean[pieces.size()];
        java.util.Arrays.fill(byteToId, -1);
        for (int id = 0; id < this.pieces.length; id++) {
            String piece = this.pieces[id];
            int type = types == null ? NORMAL : types.get(id).intValue();
            this.types[id] = type;
            switch (type) {
                case UNKNOWN, CONTROL, USER_DEFINED -> {
                    specials.add(piece);
                    specialToId.putIfAbsent(piece, id);
                    endOfGeneration[id] = type == CONTROL && END_OF_GENERATION.contains(piece);
                }
                case BYTE -> {
                    if (piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">")) {
                        byteToId[Integer.parseInt(piece.substring(3, 5), 16)] = id;
                    }
                }
                case NORMAL -> {
                    String text = piece.replace(SPACE_PIECE, ' ');
                    if (text.codePointCount(0, text.length()) != 1) {
                        throw new IllegalArgumentException(what + " has the multi-character token '" + piece
                                + "': the Java engine's tokenizer handles character-level vocabularies only (use the "
                                + "llama-cpp backend for this model)");
                    }
                    codePointToId.putIfAbsent(text.codePointAt(0), id);
                }
                default -> {
                }
            }
        }
        if (eosId >= 0 && eosId < endOfGeneration.length) {
            endOfGeneration[eosId] = true;
        }
        Integer space = codePointToId.get((int) ' ');
        if (space != null) {
            codePointToId.putIfAbsent((int) SPACE_PIECE, space);
        }
        specials.sort(Comparator.comparingInt(String::length).reversed());
    }

    static JavaLlamaTokenizer from(JavaLlamaGguf gguf, String what) {
        String model = gguf.text("tokenizer.ggml.model");
        if (model != null && !"llama".equals(model)) {
            throw new IllegalArgumentException(what + " has tokenizer.ggml.model=" + model
                    + "; the Java engine reads the character-level 'llama' (SPM) tokenizer of the tiny models only");
        }
        List<String> tokens = gguf.list("tokenizer.ggml.tokens");
        if (tokens == null) {
            throw new IllegalArgumentException(what + " lacks the GGUF metadata key tokenizer.ggml.tokens");
        }
        List<Number> types = gguf.list("tokenizer.ggml.token_type");
        return new JavaLlamaTokenizer(tokens, types, optional(gguf, "tokenizer.ggml.bos_token_id", 1),
                optional(gguf, "tokenizer.ggml.eos_token_id", 2), optional(gguf, "tokenizer.ggml.unknown_token_id", 0),
                gguf.bool("tokenizer.ggml.add_bos_token", true), what);
    }

    private static int optional(JavaLlamaGguf gguf, String key, int defaultValue) {
        Object value = gguf.metadata(key);
        return value instanceof Number n ? n.intValue() : defaultValue;
    }

    int vocabularySize() {
        return pieces.length;
    }

    boolean addBos() {
        return addBos;
    }

    int bosId() {
        return bosId;
    }

    int eosId() {
        return eosId;
    }

    /** Whether generating this token ends the generation (EOS, or a control token llama.cpp treats as such). */
    boolean endsGeneration(int id) {
        return endOfGeneration[id];
    }

    /**
     * The prompt's tokens: BOS first when the model adds one, special tokens parsed (as llama.cpp does with
     * {@code parse_special}), longest match first.
     */
    int[] encodePrompt(String text) {
        return encode(text, addBos);
    }

    int[] encode(String text, boolean withBos) {
        IntList ids = new IntList(text.length() + 1);
        if (withBos) {
            ids.add(bosId);
        }
        int i = 0;
        while (i < text.length()) {
            String special = specialAt(text, i);
            if (special != null) {
                ids.add(specialToId.get(special));
                i += special.length();
                continue;
            }
            int codePoint = text.codePointAt(i);
            Integer id = codePointToId.get(codePoint);
            if (id != null) {
                ids.add(id);
            } else {
                for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                    int byteId = byteToId[b & 0xFF];
                    ids.add(byteId >= 0 ? byteId : unknownId);
                }
            }
            i += Character.charCount(codePoint);
        }
        return ids.toArray();
    }

    private String specialAt(String text, int at) {
        for (String special : specials) { // longest first
            if (text.startsWith(special, at)) {
                return special;
            }
        }
        return null;
    }

    /**
     * Turns generated tokens into text one at a time, as llama.cpp renders them: control and unknown tokens render
     * empty, user-defined tokens as their text, byte tokens joined until they form whole UTF-8 characters.
     */
    final class Decoder {

        private final ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

        /** The text this token completes; empty while the bytes of a character are incomplete. */
        String next(int id) {
            if (types[id] == BYTE) {
                pendingBytes.write(Integer.parseInt(pieces[id].substring(3, 5), 16));
                byte[] bytes = pendingBytes.toByteArray();
                try {
                    CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(bytes));
                    pendingBytes.reset();
                    return chars.toString();
                } catch (CharacterCodingException e) {
                    if (bytes.length >= 4) { // never a whole character: give up on these bytes
                        return flush();
                    }
                    return "";
                }
            }
            String text = flush() + piece(id);
            return text;
        }

        /** Bytes left over, decoded with replacement characters; empty when there are none. */
        String flush() {
            if (pendingBytes.size() == 0) {
                return "";
            }
            String text = new String(pendingBytes.toByteArray(), StandardCharsets.UTF_8);
            pendingBytes.reset();
            return text;
        }
    }

    /** The token's text on its own (a byte token as its raw piece name's byte, decoded leniently). */
    String piece(int id) {
        return switch (types[id]) {
            case CONTROL, UNKNOWN -> "";
            case USER_DEFINED -> pieces[id];
            case BYTE -> new String(new byte[] {(byte) Integer.parseInt(pieces[id].substring(3, 5), 16)},
                    StandardCharsets.ISO_8859_1);
            default -> pieces[id].replace(SPACE_PIECE, ' ');
        };
    }

    /** A growable int array. */
    static final class IntList {

        private int[] values;
        private int size;

        IntList(int capacity) {
            values = new int[Math.max(4, capacity)];
        }

        void add(int value) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int size() {
            return size;
        }

        int get(int index) {
            return values[index];
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
