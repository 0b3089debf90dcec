package io.github.relayllm.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.format.PromptFormat;

import java.util.List;

/**
 * The settings shared by {@link RelayChatLanguageModel} and the streaming relay model; each concrete builder adds
 * only its extras. Unset settings take the documented defaults at {@code build()}, which also validates them.
 *
 * @param <M> the model built
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class RelayBaseBuilder<M, B extends RelayBaseBuilder<M, B>> {

    CompletionBackend student;
    CompletionBackend teacher;
    PromptFormat promptFormat;
    CallPolicy callPolicy;
    Integer maxCallTokens;
    Integer defaultCallTokens;
    Integer maxRounds;
    Integer maxTokens;
    Integer maxTeacherTokens;
    TeacherFailurePolicy teacherFailurePolicy;
    Boolean exactCallTokens;
    Double temperature;
    Double topP;
    Integer seed;
    List<ChatModelListener> listeners;
    ChatRequestParameters defaultRequestParameters;
    String modelName;

    protected RelayBaseBuilder() {
    }

    @SuppressWarnings("unchecked")
    protected B self() {
        return (B) this;
    }

    /** The small model that drives the answer and writes {@code <call>N</call>}. Required except for teacherOnly(). */
    public B student(CompletionBackend student) {
        this.student = student;
        return self();
    }

    /** The large model that writes the spans the student asks for. Optional with {@link CallPolicy#never()}. */
    public B teacher(CompletionBackend teacher) {
        this.teacher = teacher;
        return self();
    }

    /** How messages become the raw prompt; default {@link PromptFormat#qwen3()} (non-thinking). */
    public B promptFormat(PromptFormat promptFormat) {
        this.promptFormat = promptFormat;
        return self();
    }

    /** When the teacher writes; default {@link CallPolicy#command()}. */
    public B callPolicy(CallPolicy callPolicy) {
        this.callPolicy = callPolicy;
        return self();
    }

    /** The most tokens one command may give the teacher (N is clamped to it); default 256. */
    public B maxCallTokens(Integer maxCallTokens) {
        this.maxCallTokens = maxCallTokens;
        return self();
    }

    /**
     * N for a command without a valid number ({@code <call></call>}, {@code <call>x</call>}); default 50, or
     * {@code maxCallTokens} when that is lower. Must not exceed {@code maxCallTokens}.
     */
    public B defaultCallTokens(Integer defaultCallTokens) {
        this.defaultCallTokens = defaultCallTokens;
        return self();
    }

    /** The most teacher calls per answer; a command beyond it ends the answer ({@code MAX_ROUNDS}). Default 16. */
    public B maxRounds(Integer maxRounds) {
        this.maxRounds = maxRounds;
        return self();
    }

    /**
     * The most tokens per answer, student and teacher generated tokens together (commands included); default
     * 8192. A request's {@code maxOutputTokens} overrides it for that request.
     */
    public B maxTokens(Integer maxTokens) {
        this.maxTokens = maxTokens;
        return self();
    }

    /**
     * A cost cap: the most teacher tokens per answer. {@code null} (the default) means no cap beyond
     * {@link #maxTokens(Integer)}.
     */
    public B maxTeacherTokens(Integer maxTeacherTokens) {
        this.maxTeacherTokens = maxTeacherTokens;
        return self();
    }

    /** What a teacher failure does; default {@link TeacherFailurePolicy#CONTINUE_WITH_STUDENT}. */
    public B teacherFailurePolicy(TeacherFailurePolicy teacherFailurePolicy) {
        this.teacherFailurePolicy = teacherFailurePolicy;
        return self();
    }

    /**
     * When true, ask the teacher for exactly N tokens (ignoring its end-of-sequence) where its backend can
     * ({@link CompletionBackend#supportsExactLength()}); when false (the default), N is an upper bound and the
     * teacher's end-of-sequence ends the answer.
     */
    public B exactCallTokens(Boolean exactCallTokens) {
        this.exactCallTokens = exactCallTokens;
        return self();
    }

    /**
     * Sampling temperature of both models; {@code null} leaves each backend's default (greedy for the in-process
     * backends; for Ollama and OpenAI-compatible ones the temperature of their builder, else the server's).
     */
    public B temperature(Double temperature) {
        this.temperature = temperature;
        return self();
    }

    /** Nucleus sampling of both models; {@code null} leaves each backend's default. */
    public B topP(Double topP) {
        this.topP = topP;
        return self();
    }

    /** Sampling seed of both models; {@code null} leaves each backend's default. */
    public B seed(Integer seed) {
        this.seed = seed;
        return self();
    }

    public B listeners(List<ChatModelListener> listeners) {
        this.listeners = listeners;
        return self();
    }

    public B listeners(ChatModelListener... listeners) {
        return listeners(List.of(listeners));
    }

    /**
     * Defaults for every request ({@code temperature}, {@code topP}, {@code maxOutputTokens}, tools, ...); the
     * explicit setters of this builder win over them.
     */
    public B defaultRequestParameters(ChatRequestParameters defaultRequestParameters) {
        this.defaultRequestParameters = defaultRequestParameters;
        return self();
    }

    /** The model name in response metadata; default {@code relay(<student model>+<teacher model>)}. */
    public B modelName(String modelName) {
        this.modelName = modelName;
        return self();
    }

    public abstract M build();
}
