package io.github.relayllm.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.call;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.eos;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.length;
import static org.assertj.core.api.Assertions.assertThat;

/** One model, many threads: every answer must be built from its own request only. */
class RelayChatLanguageModelConcurrencyTest {

    private static final Pattern QUESTION = Pattern.compile("question (\\d+)");

    private static String question(CompletionRequest request) {
        Matcher matcher = QUESTION.matcher(request.prompt());
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    @Test
    void should_answer_8_threads_times_50_requests_correctly() throws Exception {
        // given: the student asks for a call first, then finishes; the teacher echoes the question number
        ScriptedCompletionBackend student = new ScriptedCompletionBackend("student").answering(request -> {
            String n = question(request);
            return request.prompt().endsWith("</think>\n\n")
                    ? call("s" + n + " <call>" + (Integer.parseInt(n) % 7 + 1) + "</call>", 3)
                    : eos(" end" + n, 2);
        });
        ScriptedCompletionBackend teacher = new ScriptedCompletionBackend("teacher").answering(request -> {
            String n = question(request);
            assertThat(request.prompt()).endsWith("s" + n + " ").doesNotContain("<call>");
            assertThat(request.maxTokens()).isEqualTo(Integer.parseInt(n) % 7 + 1);
            return length("t" + n, 1);
        });
        RelayChatLanguageModel model = RelayChatLanguageModel.builder().student(student).teacher(teacher).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);

        // when
        List<Future<String>> answers = new ArrayList<>();
        for (int thread = 0; thread < 8; thread++) {
            int first = thread * 50;
            answers.add(pool.submit(() -> {
                StringBuilder failures = new StringBuilder();
                for (int n = first; n < first + 50; n++) {
                    ChatResponse response = model.chat(UserMessage.from("question " + n));
                    RelayResponseMetadata metadata = (RelayResponseMetadata) response.metadata();
                    String expected = "s" + n + " t" + n + " end" + n;
                    if (!expected.equals(response.aiMessage().text()) || metadata.rounds() != 1
                            || metadata.studentTokens() != 5 || metadata.teacherTokens() != 1) {
                        failures.append(n).append(": ").append(response.aiMessage().text()).append('\n');
                    }
                }
                return failures.toString();
            }));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        // then
        for (Future<String> answer : answers) {
            assertThat(answer.get()).isEmpty();
        }
        assertThat(student.requests()).hasSize(800);
        assertThat(teacher.requests()).hasSize(400);
    }
}
