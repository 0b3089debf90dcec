package io.github.relayllm.langchain4j.llamacpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.exception.UnsupportedFeatureException;
import io.github.relayllm.langchain4j.TinyModelFiles;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.ContextLengthExceededException;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.github.relayllm.langchain4j.TinyModelFiles.STUDENT;
import static io.github.relayllm.langchain4j.TinyModelFiles.TEACHER;
import static io.github.relayllm.langchain4j.TinyModelFiles.greedy;
import static io.github.relayllm.langchain4j.TinyModelFiles.prompt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The in-process backend on the project's tiny models. Failsafe runs each IT class in a fresh JVM, so the models
 * loaded in {@link #loadModels()} load before this JVM's first inference and keep their prompt cache.
 */
class LlamaCppCompletionBackendIT {

    private static final String QUESTION = "Rosa has 147 cards. She loses 40, then uses 67. How many cards does she have?";

    private static LlamaCppCompletionBackend teacher;
    private static LlamaCppCompletionBackend teacherWithoutCache;
    private static LlamaCppCompletionBackend student;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadModels() {
        teacher = LlamaCppCompletionBackend.builder().modelPath(TinyModelFiles.file(TEACHER)).build();
        teacherWithoutCache = LlamaCppCompletionBackend.builder()
                .modelPath(TinyModelFiles.file(TEACHER)).promptCache(false).build();
        student = LlamaCppCompletionBackend.builder().modelPath(TinyModelFiles.file(STUDENT)).build();
    }

    @AfterAll
    static void closeModels() {
        teacher.close();
        teacherWithoutCache.close();
        student.close();
    }

    @Test
    void should_load_models_before_the_first_inference_with_the_prompt_cache() {
        assertThat(teacher.promptCacheEnabled()).isTrue();
        assertThat(student.promptCacheEnabled()).isTrue();
        assertThat(teacherWithoutCache.promptCacheEnabled()).isFalse();
        assertThat(teacher.modelName()).isEqualTo(TEACHER);
        assertThat(teacher.name()).isEqualTo("llama-cpp(" + TEACHER + ")");
        assertThat(teacher.supportsExactLength()).isTrue();
        assertThat(teacher.supportsTokenProbabilities()).isFalse();
    }

    @Test
    void should_tokenise_exactly_like_the_trainer() throws IOException {
        // given: the trainer's test vectors (text -> ids with BOS, special tokens parsed)
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(TinyModelFiles.file(TinyModelFiles.TOKENIZER_CASES));
        assertThat(lines).hasSizeGreaterThan(5);

        for (String line : lines) {
            JsonNode testCase = json.readTree(line);
            String text = testCase.get("text").asText();
            int[] expected = json.convertValue(testCase.get("ids"), int[].class);

            // when
            int[] ids = teacher.encode(text);
            int[] withBos = IntStream.concat(IntStream.of(1), Arrays.stream(ids)).toArray();

            // then
            assertThat(testCase.get("add_bos").asBoolean()).isTrue();
            assertThat(withBos).as("tokens of %s", json.writeValueAsString(text)).containsExactly(expected);
            assertThat(student.encode(text)).containsExactly(ids);
            assertThat(teacher.complete(greedy(text, 1)).promptTokens())
                    .as("prompt tokens of %s", json.writeValueAsString(text)).isEqualTo(expected.length);
        }
    }

    @Test
    void should_generate_greedily_and_deterministically() {
        // given
        CompletionRequest request = greedy(prompt(QUESTION), 40);

        // when
        Completion first = teacher.complete(request);
        Completion second = teacher.complete(request);
        Completion uncached = teacherWithoutCache.complete(request);

        // then
        assertThat(first.text()).isNotEmpty().isEqualTo(second.text()).isEqualTo(uncached.text());
        assertThat(second.cachedPromptTokens()).isEqualTo(second.promptTokens() - 1);
        assertThat(uncached.cachedPromptTokens()).isZero();
    }

    @Test
    void should_generate_exactly_n_tokens_in_exact_length_mode() {
        for (int n : new int[] {1, 7, 40}) {
            // when
            Completion completion = teacher.complete(greedy(prompt(QUESTION), n).toBuilder().exactLength(true).build());

            // then: end-of-sequence is ignored, the length is exact
            assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.LENGTH);
            assertThat(completion.generatedTokens()).isEqualTo(n);
            assertThat(countVisibleTokens(completion.text())).isLessThanOrEqualTo(n);
        }
    }

    @Test
    void should_stop_at_max_tokens() {
        // given: the full greedy answer is longer than 5 tokens
        Completion full = teacher.complete(greedy(prompt(QUESTION), 100));
        assertThat(full.generatedTokens()).isGreaterThan(5);

        // when
        Completion cut = teacher.complete(greedy(prompt(QUESTION), 5));

        // then
        assertThat(cut.finishReason()).isEqualTo(Completion.FinishReason.LENGTH);
        assertThat(cut.generatedTokens()).isEqualTo(5);
        assertThat(full.text()).startsWith(cut.text());
        assertThat(teacher.encode(cut.text())).hasSize(5);
    }

    @Test
    void should_report_end_of_sequence_when_the_model_ends_its_answer_early() {
        // when: the trained teacher answers in far fewer than 200 tokens and ends with <|im_end|>
        Completion completion = teacher.complete(greedy(prompt(QUESTION), 200));

        // then: the end-of-sequence token is counted, and renders no text
        assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.EOS);
        assertThat(completion.stopString()).isNull();
        assertThat(completion.text()).contains("####");
        assertThat(completion.generatedTokens()).isEqualTo(teacher.encode(completion.text()).length + 1).isLessThan(200);
    }

    @Test
    void should_end_a_stopped_completion_with_its_stop_string_and_count_its_tokens() {
        // given
        Completion full = teacher.complete(greedy(prompt(QUESTION), 200));
        String stop = "####";
        assertThat(full.text()).contains(stop);

        // when
        Completion stopped = teacher.complete(greedy(prompt(QUESTION), 200).toBuilder()
                .stopStrings("never written", stop).build());

        // then: the engine would have cut it; the backend keeps it and says which one matched
        String expected = full.text().substring(0, full.text().indexOf(stop) + stop.length());
        assertThat(stopped.finishReason()).isEqualTo(Completion.FinishReason.STOP);
        assertThat(stopped.stopString()).isEqualTo(stop);
        assertThat(stopped.text()).isEqualTo(expected);
        assertThat(stopped.generatedTokens()).isEqualTo(teacher.encode(expected).length);
    }

    @Test
    void should_stop_on_a_stop_string_in_exact_length_mode_too() {
        // given
        Completion full = teacher.complete(greedy(prompt(QUESTION), 30).toBuilder().exactLength(true).build());
        String stop = full.text().substring(3, 5);

        // when
        Completion stopped = teacher.complete(greedy(prompt(QUESTION), 30).toBuilder().exactLength(true)
                .stopStrings(stop).build());

        // then
        assertThat(stopped.finishReason()).isEqualTo(Completion.FinishReason.STOP);
        assertThat(stopped.text()).isEqualTo(full.text().substring(0, full.text().indexOf(stop) + stop.length()));
    }

    @Test
    void should_stream_pieces_that_add_up_to_the_same_completion() {
        // given
        CompletionRequest request = greedy(prompt(QUESTION), 100).toBuilder().stopStrings("####").build();
        List<String> pieces = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();

        // when
        Completion streamed = teacher.completeStreaming(request, piece -> {
            pieces.add(piece);
            threads.add(Thread.currentThread());
        });
        Completion blocking = teacher.complete(request);

        // then
        assertThat(pieces).hasSizeGreaterThan(3).allSatisfy(piece -> assertThat(piece).isNotEmpty());
        assertThat(String.join("", pieces)).isEqualTo(streamed.text());
        assertThat(threads).containsOnly(Thread.currentThread());
        assertThat(streamed.toBuilder().latency(null).cachedPromptTokens(null).build())
                .isEqualTo(blocking.toBuilder().latency(null).cachedPromptTokens(null).build());
    }

    @Test
    void should_stop_generating_when_the_handler_cancels() {
        // given
        List<String> pieces = new ArrayList<>();
        StreamingCompletionHandler cancelAfterThree = new StreamingCompletionHandler() {
            @Override
            public void onPartialText(String text) {
                pieces.add(text);
            }

            @Override
            public boolean isCancelled() {
                return pieces.size() >= 3;
            }
        };
        CompletionRequest long_ = greedy(prompt(QUESTION), 150).toBuilder().exactLength(true).build();

        // when / then
        assertThatThrownBy(() -> teacher.completeStreaming(long_, cancelAfterThree))
                .isInstanceOf(CancellationException.class);
        assertThat(pieces).hasSize(3);

        // and the model serves the next call correctly
        assertThat(teacher.complete(greedy(prompt(QUESTION), 40)).text())
                .isEqualTo(teacherWithoutCache.complete(greedy(prompt(QUESTION), 40)).text());
    }

    @Test
    void should_sample_reproducibly_with_a_seed() {
        // given
        CompletionRequest sampled = CompletionRequest.builder().prompt(prompt(QUESTION)).maxTokens(40)
                .temperature(1.5).topP(1.0).seed(1234).build();

        // when
        Completion first = teacher.complete(sampled);
        Completion second = teacher.complete(sampled);

        // then
        assertThat(first.text()).isEqualTo(second.text());
    }

    @Test
    void should_constrain_the_answer_to_a_json_schema() throws IOException {
        // given
        String schema = "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"integer\"}},"
                + "\"required\":[\"answer\"],\"additionalProperties\":false}";

        // when: a model that never saw JSON
        Completion completion = teacher.complete(greedy(prompt(QUESTION), 60).toBuilder().jsonSchema(schema).build());

        // then
        assertThat(teacher.supportsJsonSchema()).isTrue();
        JsonNode json = new ObjectMapper().readTree(completion.text());
        assertThat(json.get("answer").isIntegralNumber()).as("answer of %s", completion.text()).isTrue();
        assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.EOS);
    }

    @Test
    void should_convert_every_schema_the_check_lets_through() {
        // an abort here would kill this JVM: the check exists because the converter aborts on what it cannot read
        for (String schema : LlamaCppJsonSchemasTest.ACCEPTED) {
            assertThat(de.kherud.llama.LlamaModel.jsonSchemaToGrammar(LlamaCppJsonSchemas.check(schema, "test")))
                    .as("grammar of %s", schema).contains("root ::=");
        }
    }

    @Test
    void should_refuse_a_json_schema_the_engine_would_abort_on() {
        assertThatThrownBy(() -> teacher.complete(greedy(prompt(QUESTION), 5).toBuilder().jsonSchema("{\"type\":\"foo\"}")
                .build()))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("the jsonSchema has #/type \"foo\"");
        assertThat(teacher.complete(greedy(prompt(QUESTION), 5)).generatedTokens()).isEqualTo(5);
    }

    @Test
    void should_refuse_token_probabilities_instead_of_aborting_the_jvm() {
        for (int logprobs : new int[] {0, 1, 5}) {
            assertThatThrownBy(() -> teacher.complete(greedy(prompt(QUESTION), 5).toBuilder().logprobs(logprobs).build()))
                    .isInstanceOf(UnsupportedFeatureException.class)
                    .hasMessageContaining("llama-cpp(" + TEACHER + ") cannot report token probabilities");
        }
        // the JVM is alive and the model still answers
        assertThat(teacher.complete(greedy(prompt(QUESTION), 5)).generatedTokens()).isEqualTo(5);
    }

    @Test
    void should_reject_a_prompt_that_leaves_no_room_in_the_context() {
        // given
        String tooLong = "x".repeat(teacher.contextSize());

        // when / then
        assertThatThrownBy(() -> teacher.complete(greedy(tooLong, 5)))
                .isInstanceOf(ContextLengthExceededException.class)
                .hasMessageContaining("contextSize of " + teacher.contextSize());
        assertThatThrownBy(() -> teacher.complete(greedy(prompt(QUESTION), teacher.contextSize()).toBuilder()
                .exactLength(true).build()))
                .isInstanceOf(ContextLengthExceededException.class)
                .hasMessageContaining("exactLength asks for " + teacher.contextSize() + " tokens");
    }

    @Test
    void should_cap_max_tokens_at_the_end_of_the_context() {
        // when
        Completion completion = teacher.complete(greedy("x", teacher.contextSize() * 2).toBuilder().exactLength(false)
                .build());

        // then
        if (completion.finishReason() == Completion.FinishReason.LENGTH) {
            assertThat(completion.promptTokens() + completion.generatedTokens()).isEqualTo(teacher.contextSize() - 1);
        } else {
            assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.EOS);
        }
    }

    @Test
    void should_reuse_the_kv_cache_when_the_prompt_grows_and_answer_the_same() {
        // given: relay-like rounds, each prompt = the previous prompt + what the model wrote + new text
        String prompt = prompt(QUESTION);

        for (int round = 0; round < 4; round++) {
            // when
            Completion cached = teacher.complete(greedy(prompt, 6).toBuilder().exactLength(true).build());
            Completion uncached = teacherWithoutCache.complete(greedy(prompt, 6).toBuilder().exactLength(true).build());

            // then
            assertThat(cached.text()).isEqualTo(uncached.text());
            if (round > 0) {
                // all but the newly appended text (and the last token the model wrote but had no need to evaluate)
                int appended = teacher.encode("+1=").length;
                assertThat(cached.cachedPromptTokens()).isEqualTo(cached.promptTokens() - appended - 1);
            }
            prompt = prompt + cached.text() + "+1=";
        }
    }

    @Test
    void should_serve_concurrent_callers_one_at_a_time_with_correct_answers() throws Exception {
        // given: 12 different prompts, answered one by one first
        List<CompletionRequest> requests = IntStream.range(0, 12)
                .mapToObj(i -> greedy(prompt("Ben has " + (100 + 7 * i) + " pens. He gets 12 more, then doubles them. "
                        + "How many pens does he have?"), 30))
                .toList();
        Map<Integer, String> expected = new ConcurrentHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            expected.put(i, teacherWithoutCache.complete(requests.get(i)).text());
        }

        // when: 4 threads call the same backend at once
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        for (CompletionRequest request : requests) {
            answers.add(pool.submit(() -> {
                start.await();
                return teacher.complete(request).text();
            }));
        }
        start.countDown();

        // then
        for (int i = 0; i < requests.size(); i++) {
            assertThat(answers.get(i).get(60, TimeUnit.SECONDS)).as("answer %d", i).isEqualTo(expected.get(i));
        }
        pool.shutdown();
    }

    @Test
    void should_load_a_model_from_a_classpath_resource() throws Exception {
        // given: the models folder as a classpath root
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader classpath = new URLClassLoader(new URL[] {TinyModelFiles.folder().toUri().toURL()})) {
            Thread.currentThread().setContextClassLoader(classpath);

            // when
            try (LlamaCppCompletionBackend fromResource = LlamaCppCompletionBackend.builder().modelResource(STUDENT).build();
                 LlamaCppCompletionBackend again = LlamaCppCompletionBackend.builder().modelResource("/" + STUDENT).build()) {

                // then: the same model, copied once
                assertThat(fromResource.modelName()).isEqualTo(STUDENT);
                assertThat(fromResource.complete(greedy(prompt(QUESTION), 20)).text())
                        .isEqualTo(student.complete(greedy(prompt(QUESTION), 20)).text());
                assertThat(LlamaCppEngine.copyOfResource(STUDENT)).isEqualTo(LlamaCppEngine.copyOfResource("/" + STUDENT));
                assertThat(again.modelName()).isEqualTo(STUDENT);
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void should_name_a_truncated_model_before_native_code_reads_it() throws IOException {
        // given: the real teacher cut short
        byte[] whole = Files.readAllBytes(TinyModelFiles.file(TEACHER));
        Path cut = dir.resolve("cut-teacher.gguf");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));

        // when / then
        assertThatThrownBy(() -> LlamaCppCompletionBackend.builder().modelPath(cut).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("modelPath " + cut.toAbsolutePath() + " is truncated")
                .hasMessageContaining("the file has " + whole.length / 2 + " bytes");
    }

    @Test
    void should_close_idempotently_and_refuse_calls_after() {
        // given
        LlamaCppCompletionBackend backend = LlamaCppCompletionBackend.builder().modelPath(TinyModelFiles.file(STUDENT)).build();

        // when
        backend.close();
        backend.close();

        // then
        assertThatThrownBy(() -> backend.complete(greedy("x", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("llama-cpp(" + STUDENT + ") is closed");
    }

    @Test
    void should_extract_the_native_library_into_a_folder_of_its_own_process() {
        // then: not the shared java.io.tmpdir, where parallel JVMs overwrite and delete each other's library
        Path folder = Path.of(System.getProperty(LlamaCppEngine.NATIVE_DIR_PROPERTY));
        assertThat(folder.getFileName().toString()).startsWith("relay-llama-" + ProcessHandle.current().pid() + "-");
        assertThat(folder.resolve("libjllama.so")).isRegularFile();
    }

    /** Tokens of text as the tokenizer encodes it; the generated tokens may include ones that render empty. */
    private static int countVisibleTokens(String text) {
        return teacher.encode(text).length;
    }
}
