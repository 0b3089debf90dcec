package io.github.relayllm.langchain4j.javallama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.relayllm.langchain4j.TinyModelFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JavaLlamaTokenizerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The tokenizer as the trainer dumped it ({@code models/tokenizer.json}). */
    private static JavaLlamaTokenizer projectTokenizer() throws IOException {
        JsonNode dump = JSON.readTree(TinyModelFiles.file("tokenizer.json").toFile());
        List<String> pieces = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        for (JsonNode token : dump.get("tokens")) {
            pieces.add(token.get("piece").asText());
            types.add(token.get("type").asInt());
        }
        return new JavaLlamaTokenizer(pieces, types, dump.get("bos_token_id").asInt(), dump.get("eos_token_id").asInt(),
                dump.get("unknown_token_id").asInt(), dump.get("add_bos_token").asBoolean(), "models/tokenizer.json");
    }

    @Test
    void should_encode_every_case_the_trainer_recorded_like_llama_cpp() throws IOException {
        // given
        JavaLlamaTokenizer tokenizer = projectTokenizer();
        List<String> lines = Files.readAllLines(TinyModelFiles.file(TinyModelFiles.TOKENIZER_CASES));

        // when / then
        assertThat(lines).hasSizeGreaterThanOrEqualTo(10);
        for (String line : lines) {
            JsonNode testCase = JSON.readTree(line);
            int[] expected = JSON.convertValue(testCase.get("ids"), int[].class);
            String text = testCase.get("text").asText();
            assertThat(tokenizer.encode(text, testCase.get("add_bos").asBoolean()))
                    .as("ids of %s", line)
                    .containsExactly(expected);
        }
    }

    @Test
    void should_decode_bytes_into_whole_characters_and_render_control_tokens_empty() throws IOException {
        // given
        JavaLlamaTokenizer tokenizer = projectTokenizer();
        int[] ids = tokenizer.encode("a€<call>b<|im_end|> c", false);
        JavaLlamaTokenizer.Decoder decoder = tokenizer.new Decoder();

        // when
        List<String> pieces = new ArrayList<>();
        for (int id : ids) {
            pieces.add(decoder.next(id));
        }

        // then: '€' is three byte tokens, rendered once whole; <|im_end|> (control) renders empty
        assertThat(pieces).containsExactly("a", "", "", "€", "<call>", "b", "", " ", "c");
        assertThat(tokenizer.endsGeneration(ids[6])).isTrue();
        assertThat(tokenizer.endsGeneration(ids[0])).isFalse();
    }

    @Test
    void should_reject_a_vocabulary_with_multi_character_pieces() {
        // given
        List<String> pieces = List.of("<unk>", "ab");

        // when / then
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JavaLlamaTokenizer(pieces, List.of(2, 1), 0, 0, 0,
                        false, "modelPath x.gguf"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("modelPath x.gguf")
                .hasMessageContaining("'ab'")
                .hasMessageContaining("llama-cpp backend");
    }
}
