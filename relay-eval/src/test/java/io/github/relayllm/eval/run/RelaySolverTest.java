package io.github.relayllm.eval.run;

import io.github.relayllm.eval.data.Problem;
import io.github.relayllm.langchain4j.CallPolicy;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness over the real relay loop, with scripted backends in place of models. */
class RelaySolverTest {

    @TempDir
    Path dir;

    /** A backend that answers each request with a function of its prompt, and records the requests. */
    static final class ScriptedBackend implements CompletionBackend {
        final List<CompletionRequest> requests = new CopyOnWriteArrayList<>();
        private final String name;
        private final Function<String, Completion> script;

        ScriptedBackend(String name, Function<String, Completion> script) {
            this.name = name;
            this.script = script;
        }

        @Override
        public Completion complete(CompletionRequest request) {
            requests.add(request);
            return script.apply(request.prompt());
        }

        @Override
        public Completion completeStreaming(CompletionRequest request, StreamingCompletionHandler handler) {
            return complete(request);
        }

        @Override
        public String name() {
            return "scripted(" + name + ")";
        }

        @Override
        public String modelName() {
            return name;
        }
    }

    private static Completion completion(String text, int tokens, int promptTokens, Completion.FinishReason reason,
                                         long millis) {
        Completion.Builder builder = Completion.builder().text(text).generatedTokens(tokens).promptTokens(promptTokens)
                .finishReason(reason).latency(Duration.ofMillis(millis));
        if (reason == Completion.FinishReason.STOP) {
            builder.stopString("</call>");
        }
        return builder.build();
    }

    /** Student: "6+2=" then a call for 3 teacher tokens; after the call "\n#### 8" and EOS. */
    private static ScriptedBackend student() {
        return new ScriptedBackend("student.gguf", prompt -> prompt.contains("<call>")
                ? completion("\n#### 8", 4, 28, Completion.FinishReason.EOS, 6)
                : completion("6+2=<call>3</call>", 5, 20, Completion.FinishReason.STOP, 4));
    }

    /** Teacher: "8", three tokens, cut by its length limit; alone it answers "#### 8". */
    private static ScriptedBackend teacher() {
        return new ScriptedBackend("teacher.gguf", prompt -> prompt.endsWith("6+2=")
                ? completion("8", 3, 24, Completion.FinishReason.LENGTH, 9)
                : completion("#### 8", 3, 18, Completion.FinishReason.EOS, 10));
    }

    private static final List<Problem> PROBLEM = List.of(new Problem("p", 0, "What is 6+2?", "8", "#### 8"));

    @Test
    void should_record_what_the_relay_metadata_says_for_each_model() {
        // given
        ScriptedBackend student = student();
        ScriptedBackend teacher = teacher();
        ResultsFile results = new ResultsFile(dir.resolve("relay.jsonl"));

        // when
        try (RelaySolver solver = new RelaySolver(EvalMode.RELAY, student, teacher, CallPolicy.command(),
                new RelaySolver.Settings(0.0, 7, 100, null, null, null))) {
            new EvalRunner(solver, EvalMode.RELAY, "{question}", 1, 1, Progress.silent()).run(PROBLEM, results);
        }

        // then
        ResultRecord record = results.read().records().get(0);
        assertThat(record.output()).isEqualTo("6+2=8\n#### 8");
        assertThat(record.extracted()).isEqualTo("8");
        assertThat(record.correct()).isTrue();
        assertThat(record.studentTokens()).isEqualTo(9);
        assertThat(record.teacherTokens()).isEqualTo(3);
        assertThat(record.studentPromptTokens()).isEqualTo(48);
        assertThat(record.teacherPromptTokens()).isEqualTo(24);
        assertThat(record.rounds()).isEqualTo(1);
        assertThat(record.callRatio()).isEqualTo(0.25);
        assertThat(record.studentLatencyMs()).isBetween(0L, record.latencyMs());
        assertThat(record.teacherLatencyMs()).isBetween(0L, record.latencyMs());
        assertThat(record.finishReason()).isEqualTo("STUDENT_DONE");
        assertThat(record.studentModel()).isEqualTo("student.gguf");
        assertThat(record.teacherModel()).isEqualTo("teacher.gguf");
        assertThat(student.requests.get(0).prompt()).contains("What is 6+2?");
        assertThat(student.requests.get(0).seed()).isEqualTo(7);
        assertThat(student.requests.get(0).temperature()).isEqualTo(0.0);
        assertThat(teacher.requests.get(0).maxTokens()).isEqualTo(3);
    }

    @Test
    void should_run_the_teacher_alone_in_teacher_mode_and_block_calls_in_teacher_free_mode() {
        // given
        ScriptedBackend student = student();
        ScriptedBackend teacher = teacher();
        ResultsFile teacherResults = new ResultsFile(dir.resolve("teacher.jsonl"));
        ResultsFile freeResults = new ResultsFile(dir.resolve("free.jsonl"));

        // when
        try (RelaySolver solver = new RelaySolver(EvalMode.TEACHER, student, teacher, null,
                new RelaySolver.Settings(0.0, 0, 100, null, null, null))) {
            new EvalRunner(solver, EvalMode.TEACHER, "{question}", 1, 1, Progress.silent()).run(PROBLEM, teacherResults);
        }
        try (RelaySolver solver = new RelaySolver(EvalMode.TEACHER_FREE, student, teacher, null,
                new RelaySolver.Settings(0.0, 0, 100, null, null, null))) {
            new EvalRunner(solver, EvalMode.TEACHER_FREE, "{question}", 1, 1, Progress.silent()).run(PROBLEM, freeResults);
        }

        // then
        ResultRecord alone = teacherResults.read().records().get(0);
        assertThat(alone.correct()).isTrue();
        assertThat(alone.teacherTokens()).isEqualTo(3);
        assertThat(alone.studentTokens()).isZero();
        assertThat(alone.studentModel()).isNull();
        ResultRecord free = freeResults.read().records().get(0);
        assertThat(free.teacherTokens()).isZero();
        assertThat(free.teacherModel()).isNull();
        assertThat(free.rounds()).isZero();
        assertThat(teacher.requests).hasSize(1); // only the teacher-mode request
    }

    @Test
    void should_seed_each_sample_differently() {
        // given
        ScriptedBackend student = student();

        // when
        try (RelaySolver solver = new RelaySolver(EvalMode.STUDENT, student, null, null,
                new RelaySolver.Settings(0.7, 100, 100, null, null, null))) {
            new EvalRunner(solver, EvalMode.STUDENT, "{question}", 3, 1, Progress.silent())
                    .run(PROBLEM, new ResultsFile(dir.resolve("student.jsonl")));
        }

        // then
        assertThat(student.requests).extracting(CompletionRequest::seed).containsOnly(100, 101, 102)
                .contains(100, 101, 102);
    }

    @Test
    void should_name_the_missing_backend() {
        assertThatThrownBy(() -> new RelaySolver(EvalMode.RELAY, student(), null, null,
                new RelaySolver.Settings(null, null, null, null, null, null))).hasMessageContaining("--teacher");
        assertThatThrownBy(() -> new RelaySolver(EvalMode.STUDENT, null, teacher(), null,
                new RelaySolver.Settings(null, null, null, null, null, null))).hasMessageContaining("--student");
    }
}
