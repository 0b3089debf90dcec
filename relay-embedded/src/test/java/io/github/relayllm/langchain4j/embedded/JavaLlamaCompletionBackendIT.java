package io.github.relayllm.langchain4j.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.relayllm.langchain4j.TinyModelFiles;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.javallama.JavaLlamaCompletionBackend;
import io.github.relayllm.langchain4j.llamacpp.LlamaCppCompletionBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java engine against the GGUF engine (java-llama.cpp) on the project's real tiny models: the same greedy text,
 * token for token, on held-out problems, and the same text again when the relay grows the prompt round by round.
 * Failsafe runs this class in a fresh JVM, so the llama.cpp models load before its first inference.
 */
class JavaLlamaCompletionBackendIT {

    private static final int PROBLEMS = 12;
    private static final int MAX_TOKENS = 160;

    private static final Map<String, LlamaCppCompletionBackend> LLAMA_CPP = new LinkedHashMap<>();
    private static List<String> questions;

    @BeforeAll
    static void loadModels() throws IOException {
        for (String name : List.of(TinyModelFiles.STUDENT, TinyModelFiles.TEACHER,
                TinyModelFiles.RELAY_STUDENT)) {
            LLAMA_CPP.put(name, LlamaCppCompletionBackend.builder().modelPath(TinyModelFiles.file(name)).build());
        }
        ObjectMapper json = new ObjectMapper();
        questions = new ArrayList<>();
        for (String line : Files.readAllLines(TinyModelFiles.file("data/heldout.jsonl"))) {
            if (questions.size() == PROBLEMS) {
                break;
            }
            questions.add(json.readTree(line).get("question").asText());
        }
    }

    @AfterAll
    static void close() {
        LLAMA_CPP.values().forEach(LlamaCppCompletionBackend::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {TinyModelFiles.STUDENT, TinyModelFiles.TEACHER, TinyModelFiles.RELAY_STUDENT})
    void should_write_the_same_greedy_tokens_as_the_gguf_engine(String name) {
        // given
        LlamaCppCompletionBackend llamaCpp = LLAMA_CPP.get(name);
        JavaLlamaCompletionBackend java = JavaLlamaCompletionBackend.builder()
                .modelPath(TinyModelFiles.file(name)).build();

        for (String question : questions) {
            CompletionRequest request = TinyModelFiles.greedy(TinyModelFiles.prompt(question), MAX_TOKENS)
                    .toBuilder().stopStrings("</call>").build();

            // when
            Completion expected = llamaCpp.complete(request);
            Completion actual = java.complete(request.toBuilder().logprobs(0).build());

            // then
            assertThat(actual.text()).as("%s on: %s", name, question).isEqualTo(expected.text());
            assertThat(actual.finishReason()).as("%s on: %s", name, question).isEqualTo(expected.finishReason());
            assertThat(actual.generatedTokens()).as("%s on: %s", name, question).isEqualTo(expected.generatedTokens());
            assertThat(actual.promptTokens()).isEqualTo(expected.promptTokens());
            assertThat(actual.logprobs()).hasSize(actual.generatedTokens());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TinyModelFiles.TEACHER})
    void should_write_the_same_tokens_when_the_prompt_grows_in_rounds(String name) {
        // given: a relay-like sequence, each prompt extending the last one by the text written plus a few characters
        LlamaCppCompletionBackend llamaCpp = LLAMA_CPP.get(name);
        JavaLlamaCompletionBackend java = JavaLlamaCompletionBackend.builder()
                .modelPath(TinyModelFiles.file(name)).build();
        String prompt = TinyModelFiles.prompt(questions.get(0));

        for (int round = 0; round < 5; round++) {
            CompletionRequest request = TinyModelFiles.greedy(prompt, 8);

            // when
            Completion expected = llamaCpp.complete(request);
            Completion actual = java.complete(request);

            // then
            assertThat(actual.text()).as("round %d", round).isEqualTo(expected.text());
            if (round > 0) {
                assertThat(actual.cachedPromptTokens()).isPositive();
            }
            prompt = prompt + actual.text() + (round % 2 == 0 ? "1" : "");
        }
    }
}
