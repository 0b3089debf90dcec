package io.github.relayllm.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.format.PromptFormat;

import java.util.List;

import static io.github.relayllm.langchain4j.internal.Checks.ensureAtLeast;
import static io.github.relayllm.langchain4j.internal.Checks.ensureNoNulls;
import static io.github.relayllm.langchain4j.internal.Checks.getOrDefault;

/**
 * The validated, immutable settings of one relay model, shared by the blocking and the streaming model. Built from
 * a {@link RelayBaseBuilder} with the defaults applied.
 */
final class RelaySettings {

    static final int DEFAULT_MAX_CALL_TOKENS = 256;
    static final int DEFAULT_DEFAULT_CALL_TOKENS = 50;
    static final int DEFAULT_MAX_ROUNDS = 16;
    static final int DEFAULT_MAX_TOKENS = 8192;

    private final CompletionBackend student;
    private final CompletionBackend teacher;
    private final PromptFormat promptFormat;
    private final CallPolicy callPolicy;
    private final int maxCallTokens;
    private final int defaultCallTokens;
    private final int maxRounds;
    private final int maxTokens;
    private final Integer maxTeacherTokens;
    private final TeacherFailurePolicy teacherFailurePolicy;
    private final boolean exactCallTokens;
    private final Integer seed;
    private final List<ChatModelListener> listeners;
    private final ChatRequestParameters defaultRequestParameters;
    private final String modelName;

    /**
     * @param builder   the settings as set
     * @param modelType the simple name of the model class, for messages: {@code RelayChatLanguageModel}
     */
    RelaySettings(RelayBaseBuilder<?, ?> builder, String modelType) {
        this.callPolicy = getOrDefault(builder.callPolicy, CallPolicy.command());
        this.student = builder.student;
        this.teacher = builder.teacher;
        if (student == null && (callPolicy.requiresStudent())) {
            throw new IllegalArgumentException("student must be set: " + modelType + ".builder().student(...)");
        }
        if (teacher == null && callPolicy.requiresTeacher()) {
            throw new IllegalArgumentException("teacher must be set for " + callPolicy + ": " + modelType
                    + ".builder().teacher(...)" + (callPolicy == CallPolicy.command()
                    ? ", or use callPolicy(CallPolicy.never()) for a student-only model" : ""));
        }
        callPolicy.checkBackends(student, teacher, modelType);
        this.promptFormat = getOrDefault(builder.promptFormat, PromptFormat.qwen3());
        this.maxCallTokens = ensureAtLeast(getOrDefault(builder.maxCallTokens, DEFAULT_MAX_CALL_TOKENS), 0,
                "maxCallTokens");
        this.defaultCallTokens = ensureAtLeast(getOrDefault(builder.defaultCallTokens,
                Math.min(DEFAULT_DEFAULT_CALL_TOKENS, maxCallTokens)), 0, "defaultCallTokens");
        if (defaultCallTokens > maxCallTokens) {
            throw new IllegalArgumentException("defaultCallTokens (" + defaultCallTokens
                    + ") must not exceed maxCallTokens (" + maxCallTokens + ")");
        }
        this.maxRounds = ensureAtLeast(getOrDefault(builder.maxRounds, DEFAULT_MAX_ROUNDS), 0, "maxRounds");
        ChatRequestParameters common = getOrDefault(builder.defaultRequestParameters,
                DefaultChatRequestParameters.EMPTY);
        RelayLoop.checkSupported(common); // fail at build time, not on the first request
        this.maxTokens = ensureAtLeast(getOrDefault(builder.maxTokens,
                getOrDefault(common.maxOutputTokens(), DEFAULT_MAX_TOKENS)), 1, "maxTokens");
        this.maxTeacherTokens = builder.maxTeacherTokens == null ? null
                : ensureAtLeast(builder.maxTeacherTokens, 0, "maxTeacherTokens");
        this.teacherFailurePolicy = getOrDefault(builder.teacherFailurePolicy,
                TeacherFailurePolicy.CONTINUE_WITH_STUDENT);
        this.exactCallTokens = getOrDefault(builder.exactCallTokens, false);
        this.seed = builder.seed;
        this.listeners = builder.listeners == null ? List.of()
                : List.copyOf(ensureNoNulls(builder.listeners, "listeners"));
        this.modelName = getOrDefault(builder.modelName, getOrDefault(common.modelName(), defaultModelName()));
        Double temperature = getOrDefault(builder.temperature, common.temperature());
        if (temperature != null && temperature < 0) {
            throw new IllegalArgumentException("temperature must be at least 0 (it is " + temperature + ")");
        }
        this.defaultRequestParameters = DefaultChatRequestParameters.builder()
                .overrideWith(common)
                .modelName(modelName)
                .temperature(temperature)
                .topP(getOrDefault(builder.topP, common.topP()))
                .maxOutputTokens(maxTokens)
                .build();
    }

    private String defaultModelName() {
        String studentName = student == null ? "-" : student.modelName();
        String teacherName = teacher == null ? "-" : teacher.modelName();
        return "relay(" + studentName + "+" + teacherName + ")";
    }

    CompletionBackend student() {
        return student;
    }

    CompletionBackend teacher() {
        return teacher;
    }

    PromptFormat promptFormat() {
        return promptFormat;
    }

    CallPolicy callPolicy() {
        return callPolicy;
    }

    int maxCallTokens() {
        return maxCallTokens;
    }

    int defaultCallTokens() {
        return defaultCallTokens;
    }

    int maxRounds() {
        return maxRounds;
    }

    int maxTokens() {
        return maxTokens;
    }

    /** {@code null}: no cap. */
    Integer maxTeacherTokens() {
        return maxTeacherTokens;
    }

    TeacherFailurePolicy teacherFailurePolicy() {
        return teacherFailurePolicy;
    }

    boolean exactCallTokens() {
        return exactCallTokens;
    }

    Integer seed() {
        return seed;
    }

    List<ChatModelListener> listeners() {
        return listeners;
    }

    ChatRequestParameters defaultRequestParameters() {
        return defaultRequestParameters;
    }

    String modelName() {
        return modelName;
    }

    @Override
    public String toString() {
        return "RelaySettings{student=" + (student == null ? null : student.name())
                + ", teacher=" + (teacher == null ? null : teacher.name()) + ", promptFormat=" + promptFormat
                + ", callPolicy=" + callPolicy + ", maxCallTokens=" + maxCallTokens
                + ", defaultCallTokens=" + defaultCallTokens + ", maxRounds=" + maxRounds + ", maxTokens=" + maxTokens
                + ", maxTeacherTokens=" + maxTeacherTokens + ", teacherFailurePolicy=" + teacherFailurePolicy
                + ", exactCallTokens=" + exactCallTokens + ", seed=" + seed + ", modelName=" + modelName + '}';
    }
}
