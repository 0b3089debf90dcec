package io.github.relayllm.eval.run;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.CallPolicy;
import io.github.relayllm.langchain4j.RelayChatLanguageModel;
import io.github.relayllm.langchain4j.RelayResponseMetadata;
import io.github.relayllm.langchain4j.backend.CompletionBackend;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Runs a prompt through a {@link RelayChatLanguageModel} set up for one {@link EvalMode}: the student alone and
 * teacher-free run the student with {@code CallPolicy.never()}, the teacher runs alone with
 * {@code CallPolicy.teacherOnly()}, the relay runs with the given policy. Sample {@code s} uses seed {@code seed + s}.
 */
public final class RelaySolver implements Solver {

    /** The relay settings the harness passes through; null fields keep the library's defaults. */
    public record Settings(Double temperature, Integer seed, Integer maxTokens, Integer maxCallTokens,
                           Integer maxRounds, String systemMessage) {
    }

    private final CompletionBackend student;
    private final CompletionBackend teacher;
    private final IntFunction<ChatModel> modelForSample;
    private final ConcurrentHashMap<Integer, ChatModel> models = new ConcurrentHashMap<>();
    private final String systemMessage;
    private final EvalMode mode;

    /**
     * @param student   the student backend (the plain student for {@link EvalMode#STUDENT}, the relay student for
     *                  relay and teacher-free); ignored for {@link EvalMode#TEACHER}
     * @param teacher   the teacher backend; ignored for student and teacher-free
     * @param policy    the call policy of {@link EvalMode#RELAY}; null means {@code CallPolicy.command()}
     */
    public RelaySolver(EvalMode mode, CompletionBackend student, CompletionBackend teacher, CallPolicy policy,
                       Settings settings) {
        this.mode = mode;
        this.student = mode == EvalMode.TEACHER ? null : student;
        this.teacher = mode == EvalMode.STUDENT || mode == EvalMode.TEACHER_FREE ? null : teacher;
        if (this.student == null && mode != EvalMode.TEACHER) {
            throw new IllegalArgumentException("mode " + mode.label() + " needs a student backend (--student)");
        }
        if (this.teacher == null && (mode == EvalMode.TEACHER || mode == EvalMode.RELAY)) {
            throw new IllegalArgumentException("mode " + mode.label() + " needs a teacher backend (--teacher)");
        }
        CallPolicy callPolicy = switch (mode) {
            case STUDENT, TEACHER_FREE -> CallPolicy.never();
            case TEACHER -> CallPolicy.teacherOnly();
            case RELAY -> policy == null ? CallPolicy.command() : policy;
        };
        this.systemMessage = settings.systemMessage();
        this.modelForSample = sample -> RelayChatLanguageModel.builder()
                .student(this.student)
                .teacher(this.teacher)
                .callPolicy(callPolicy)
                .temperature(settings.temperature())
                .seed(settings.seed() == null ? null : settings.seed() + sample)
                .maxTokens(settings.maxTokens())
                .maxCallTokens(settings.maxCallTokens())
                .maxRounds(settings.maxRounds())
                .build();
        modelForSample.apply(0); // fail on bad settings before the first problem
    }

    @Override
    public Attempt solve(String prompt, int sample) {
        ChatModel model = models.computeIfAbsent(sample, modelForSample::apply);
        List<ChatMessage> messages = new ArrayList<>();
        if (systemMessage != null && !systemMessage.isBlank()) {
            messages.add(SystemMessage.from(systemMessage));
        }
        messages.add(UserMessage.from(prompt));
        ChatResponse response = model.chat(ChatRequest.builder().messages(messages).build());
        String text = response.aiMessage() == null || response.aiMessage().text() == null ? ""
                : response.aiMessage().text();
        if (!(response.metadata() instanceof RelayResponseMetadata relay)) {
            throw new IllegalStateException("the relay model returned no RelayResponseMetadata");
        }
        return new Attempt(text, relay.studentTokens(), relay.teacherTokens(), relay.studentPromptTokens(),
                relay.teacherPromptTokens(), relay.rounds(), relay.studentLatency().toMillis(),
                relay.teacherLatency().toMillis(),
                relay.relayFinishReason() == null ? null : relay.relayFinishReason().name());
    }

    @Override
    public String studentModel() {
        return student == null ? null : student.modelName();
    }

    @Override
    public String teacherModel() {
        return teacher == null ? null : teacher.modelName();
    }

    public EvalMode mode() {
        return mode;
    }

    /** Closes both backends (each once, also when the same backend plays both roles). */
    @Override
    public void close() {
        Set<CompletionBackend> backends = new LinkedHashSet<>();
        if (student != null) {
            backends.add(student);
        }
        if (teacher != null) {
            backends.add(teacher);
        }
        backends.forEach(CompletionBackend::close);
    }
}
