package io.github.relayllm.langchain4j.javallama;

import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.ContextLengthExceededException;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;
import io.github.relayllm.langchain4j.backend.TokenLogprob;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class JavaLlamaCompletionBackendTest {

    private static final String PROMPT = "<|im_start|>user\nWhat is 12+30?<|im_end|>\n<|im_start|>assistant\n";

    @TempDir
    static Path folder;
    private static Path model;
    private static Path tiedModel;

    @BeforeAll
    static void writeModels() throws IOException {
        model = JavaLlamaTestFiles.randomModel(folder, 32, 2, 4, 2, 48, 128, false, 7); // grouped-query heads
        tiedModel = JavaLlamaTestFiles.randomModel(folder, 16, 1, 2, 2, 24, 64, true, 8);
    }

    private static JavaLlamaCompletionBackend load(Path file) {
        return JavaLlamaCompletionBackend.builder().modelPath(file).build();
    }

    private static CompletionRequest.Builder greedy(String prompt, int maxTokens) {
        return CompletionRequest.builder().prompt(prompt).maxTokens(maxTokens).temperature(0.0);
    }

    @Test
    void should_give_the_same_text_with_and_without_the_kv_cache() {
        // given
        JavaLlamaCompletionBackend warm = load(model);
        JavaLlamaCompletionBackend cold = load(model);
        Completion first = warm.complete(greedy(PROMPT, 12).build());
        String extended = PROMPT + first.text() + "and";

        // when
        Completion reused = warm.complete(greedy(extended, 12).build());
        Completion fresh = cold.complete(greedy(extended, 12).build());

        // then
        assertThat(first.generatedTokens()).isEqualTo(12);
        assertThat(reused.text()).isEqualTo(fresh.text());
        assertThat(reused.cachedPromptTokens()).isGreaterThanOrEqualTo(warm.promptTokens(PROMPT).length + 11);
        assertThat(fresh.cachedPromptTokens()).isZero();
        assertThat(reused.promptTokens()).isEqualTo(warm.promptTokens(extended).length);
    }

    @Test
    void should_report_logprobs_of_a_normalised_distribution_with_the_greedy_token_on_top() {
        // given
        JavaLlamaCompletionBackend backend = load(tiedModel);

        // when
        Completion completion = backend.complete(greedy(PROMPT, 5).logprobs(400).build());

        // then
        assertThat(completion.logprobs()).hasSize(5);
        StringBuilder text = new StringBuilder();
        for (TokenLogprob token : completion.logprobs()) {
            double total = token.topLogprobs().stream().mapToDouble(TokenLogprob::probability).sum();
            assertThat(total).isCloseTo(1.0, within(1e-4));
            assertThat(token.topLogprobs().get(0).logprob()).isEqualTo(token.logprob());
            assertThat(token.logprob()).isLessThanOrEqualTo(0.0);
            assertThat(token.entropy()).isGreaterThanOrEqualTo(0.0);
            text.append(token.token());
        }
        assertThat(text.toString()).isEqualTo(completion.text());
    }

    @Test
    void should_stop_before_a_refused_token_without_counting_or_evaluating_it() {
        // given
        JavaLlamaCompletionBackend backend = load(model);
        Completion full = backend.complete(greedy(PROMPT, 6).logprobs(0).build());
        List<String> offered = new ArrayList<>();
        List<String> streamed = new ArrayList<>();

        // when: the third token is refused
        Completion refused = backend.completeStreaming(greedy(PROMPT, 6).logprobs(0).build(),
                new StreamingCompletionHandler() {
                    @Override
                    public void onPartialText(String text) {
                        streamed.add(text);
                    }

                    @Override
                    public boolean acceptToken(TokenLogprob token) {
                        offered.add(token.token());
                        return offered.size() < 3;
                    }
                });
        Completion next = backend.complete(greedy(PROMPT + refused.text(), 4).build());

        // then
        String twoTokens = full.logprobs().get(0).token() + full.logprobs().get(1).token();
        assertThat(refused.finishReason()).isEqualTo(Completion.FinishReason.REFUSED);
        assertThat(refused.text()).isEqualTo(twoTokens);
        assertThat(String.join("", streamed)).isEqualTo(twoTokens);
        assertThat(refused.generatedTokens()).isEqualTo(2);
        assertThat(refused.logprobs()).hasSize(2);
        assertThat(offered).hasSize(3);
        // the two kept tokens are in the cache; the refused one was never evaluated: only the last token is redone
        int promptTokens = backend.promptTokens(PROMPT).length;
        assertThat(next.cachedPromptTokens()).isEqualTo(promptTokens + 1);
        assertThat(next.text()).startsWith(full.text().substring(twoTokens.length(), twoTokens.length() + 1));
    }

    @Test
    void should_end_on_a_stop_string_with_the_text_ending_in_it() {
        // given
        JavaLlamaCompletionBackend backend = load(model);
        String free = backend.complete(greedy(PROMPT, 20).build()).text();
        String stop = free.substring(5, 7);
        int expectedEnd = free.indexOf(stop) + stop.length();

        // when
        Completion completion = backend.complete(greedy(PROMPT, 20).stopStrings(stop, "never-written").build());

        // then
        assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.STOP);
        assertThat(completion.stopString()).isEqualTo(stop);
        assertThat(completion.text()).isEqualTo(free.substring(0, expectedEnd));
    }

    @Test
    void should_generate_exactly_n_tokens_in_exact_mode_and_respect_max_tokens() {
        // given
        JavaLlamaCompletionBackend backend = load(model);

        // when
        Completion exact = backend.complete(greedy(PROMPT, 17).exactLength(true).build());

        // then
        assertThat(exact.generatedTokens()).isEqualTo(17);
        assertThat(exact.finishReason()).isEqualTo(Completion.FinishReason.LENGTH);
        assertThatThrownBy(() -> backend.complete(greedy(PROMPT, 500).exactLength(true).build()))
                .hasMessageContaining("exactLength asks for 500 tokens");
    }

    @Test
    void should_sample_the_same_text_for_the_same_seed() {
        // given
        JavaLlamaCompletionBackend backend = load(model);
        CompletionRequest sampled = greedy(PROMPT, 30).temperature(1.5).topP(0.95).seed(42).build();

        // when
        String first = backend.complete(sampled).text();
        String again = backend.complete(sampled).text();
        String otherSeed = backend.complete(sampled.toBuilder().seed(43).build()).text();
        String greedyText = backend.complete(greedy(PROMPT, 30).build()).text();

        // then
        assertThat(again).isEqualTo(first);
        assertThat(List.of(otherSeed, greedyText)).anyMatch(text -> !text.equals(first));
    }

    @Test
    void should_serve_concurrent_callers_with_the_answers_they_would_get_alone() throws Exception {
        // given
        JavaLlamaCompletionBackend backend = load(model);
        List<String> prompts = List.of(PROMPT, PROMPT + "1", "<|im_start|>user\nhi", PROMPT + "12");
        List<String> alone = new ArrayList<>();
        for (String prompt : prompts) {
            alone.add(load(model).complete(greedy(prompt, 10).build()).text());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            // when
            List<Future<String>> futures = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (String prompt : prompts) {
                    futures.add(pool.submit((Callable<String>) () -> backend.complete(greedy(prompt, 10).build()).text()));
                }
            }

            // then
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(alone.get(i % prompts.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void should_load_a_model_from_the_classpath() throws IOException {
        // given
        Path root = folder.resolve("classpath");
        Files.createDirectories(root.resolve("models"));
        Files.copy(tiedModel, root.resolve("models/tied.gguf"));
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, previous)) {
            Thread.currentThread().setContextClassLoader(loader);

            // when
            JavaLlamaCompletionBackend backend = JavaLlamaCompletionBackend.builder().modelResource("models/tied.gguf")
                    .build();

            // then
            assertThat(backend.modelName()).isEqualTo("tied.gguf");
            assertThat(backend.complete(greedy(PROMPT, 4).build()).text())
                    .isEqualTo(load(tiedModel).complete(greedy(PROMPT, 4).build()).text());
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void should_name_the_file_and_the_setting_when_the_model_cannot_be_loaded() throws IOException {
        // given
        Path notGguf = Files.writeString(folder.resolve("not.gguf"), "hello");

        // when / then
        assertThatThrownBy(() -> load(notGguf))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("modelPath " + notGguf.toAbsolutePath())
                .hasMessageContaining("not a GGUF file");
        assertThatThrownBy(() -> load(folder.resolve("missing.gguf")))
                .hasMessageContaining("missing.gguf");
        assertThatThrownBy(() -> JavaLlamaCompletionBackend.builder().build())
                .hasMessageContaining("exactly one of modelPath and modelResource");
        assertThatThrownBy(() -> JavaLlamaCompletionBackend.builder().modelPath(model).contextSize(4096).build())
                .hasMessageContaining("contextSize 4096 exceeds");
        assertThatThrownBy(() -> JavaLlamaCompletionBackend.builder().modelResource("nowhere/x.gguf").build())
                .hasMessageContaining("modelResource nowhere/x.gguf is not on the classpath");
    }

    @Test
    void should_reject_a_prompt_that_fills_the_context() {
        // given
        JavaLlamaCompletionBackend backend = JavaLlamaCompletionBackend.builder().modelPath(tiedModel).contextSize(8)
                .build();

        // when / then
        assertThatThrownBy(() -> backend.complete(greedy("0123456789", 4).build()))
                .isInstanceOf(ContextLengthExceededException.class)
                .hasMessageContaining("contextSize of 8 tokens");
    }
}
