package io.github.relayllm.langchain4j.embedded;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.RelayChatLanguageModel;
import io.github.relayllm.langchain4j.RelayResponseMetadata;
import io.github.relayllm.langchain4j.TinyModelFiles;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;
import io.github.relayllm.langchain4j.llamacpp.LlamaCppCompletionBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On the real embedded pair, with the settings a new user leaves alone (no temperature), a teacher cap the answers
 * never reach changes neither the answers nor any request the two models get, whatever the prompt cache holds from
 * the run before. Before the in-process backend was greedy by default, about one run in three got another answer on
 * each run, with or without the cap.
 */
class EmbeddedPairTeacherCapIT {

    private static final List<String> QUESTIONS = List.of(
            "A school has 923 coins. First it loses 74. Then it gives 25. Finally it buys 44. How many now?",
            "Lena has 302 books. First she loses 35. Then she buys 24. How many now?",
            "Finn has 849 stickers. First he buys 85. Then he wins 22. Finally he buys 15. How many now?");
    private static final int CAP = 200;
    private static final int RUNS = 3;

    private static RecordingBackend student;
    private static RecordingBackend teacher;

    @BeforeAll
    static void loadBeforeAnyInference() {
        // the in-process engine records its first generation in this system property (LlamaCppEngine)
        assertThat(System.getProperty("relay.llama.inferenceStarted")).as("no inference before this class").isNull();
        student = new RecordingBackend(LlamaCppCompletionBackend.builder().modelPath(TinyModelFiles.file(TinyModelFiles.RELAY_STUDENT)).build());
        teacher = new RecordingBackend(LlamaCppCompletionBackend.builder().modelPath(TinyModelFiles.file(TinyModelFiles.TEACHER)).build());
    }

    /** One answer and every request the two models got for it. */
    private record Run(String answer, int teacherTokens, List<CompletionRequest> requests) {
    }

    private static Run run(String question, Integer cap) {
        student.requests.clear();
        teacher.requests.clear();
        RelayChatLanguageModel model = RelayChatLanguageModel.builder().student(student).teacher(teacher)
                .maxTeacherTokens(cap).build();
        ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from(question)).build());
        List<CompletionRequest> requests = new ArrayList<>(student.requests);
        requests.addAll(teacher.requests);
        return new Run(response.aiMessage().text(), ((RelayResponseMetadata) response.metadata()).teacherTokens(),
                requests);
    }

    @Test
    void should_give_the_same_answer_and_requests_with_a_cap_the_answer_never_reaches() {
        for (String question : QUESTIONS) {
            // given: the first run on a cold prompt cache, the later ones on the cache the run before left
            Run reference = run(question, null);

            for (int i = 0; i < RUNS; i++) {
                // when
                Run capped = run(question, CAP);
                Run uncapped = run(question, null);

                // then
                assertThat(capped.teacherTokens()).as(question).isLessThan(CAP);
                assertThat(capped.answer()).as(question).isEqualTo(reference.answer());
                assertThat(capped.requests()).as(question).isEqualTo(reference.requests());
                assertThat(uncapped.answer()).as(question).isEqualTo(reference.answer());
                assertThat(uncapped.requests()).as(question).isEqualTo(reference.requests());
            }
        }
        assertThat(run(QUESTIONS.get(0), CAP).answer()).endsWith("#### 868");
    }

    /** Passes every call to a real backend and keeps the requests. */
    private static final class RecordingBackend implements CompletionBackend {

        private final CompletionBackend backend;
        private final List<CompletionRequest> requests = new ArrayList<>();

        RecordingBackend(CompletionBackend backend) {
            this.backend = backend;
        }

        @Override
        public Completion complete(CompletionRequest request) {
            requests.add(request);
            return backend.complete(request);
        }

        @Override
        public Completion completeStreaming(CompletionRequest request, StreamingCompletionHandler handler) {
            requests.add(request);
            return backend.completeStreaming(request, handler);
        }

        @Override
        public boolean supportsExactLength() {
            return backend.supportsExactLength();
        }

        @Override
        public boolean supportsJsonSchema() {
            return backend.supportsJsonSchema();
        }

        @Override
        public String name() {
            return backend.name();
        }

        @Override
        public String modelName() {
            return backend.modelName();
        }
    }
}
