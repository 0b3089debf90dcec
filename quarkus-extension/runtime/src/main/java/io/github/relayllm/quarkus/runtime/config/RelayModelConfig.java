package io.github.relayllm.quarkus.runtime.config;

import java.util.OptionalInt;

import io.quarkus.runtime.annotations.ConfigDocSection;
import io.quarkus.runtime.annotations.ConfigGroup;
import io.smallrye.config.WithDefault;

/**
 * One relay model: the small student that drives the answer, the large teacher it calls with {@code <call>N</call>},
 * and the budgets of one request.
 */
@ConfigGroup
public interface RelayModelConfig {

    /**
     * The student: the small model that writes the answer and the {@code <call>N</call>} commands. With neither
     * backend configured, the embedded tiny student runs in process.
     */
    @ConfigDocSection
    BackendConfig student();

    /**
     * The teacher: the large model that writes the N tokens each command asks for. With neither backend
     * configured, the embedded tiny teacher runs in process.
     */
    @ConfigDocSection
    BackendConfig teacher();

    /**
     * The most tokens the teacher writes for one command: a larger N in {@code <call>N</call>} is cut to this.
     * Must be at least 1.
     */
    @WithDefault("256")
    int maxCallTokens();

    /**
     * The tokens the teacher writes for a command without a valid number ({@code <call></call>},
     * {@code <call>x</call>}). Must be at least 1 and at most {@code max-call-tokens}.
     */
    @WithDefault("50")
    int defaultCallTokens();

    /**
     * The most teacher calls (rounds) in one answer; 0 forbids calls. Must not be negative.
     */
    @WithDefault("16")
    int maxRounds();

    /**
     * The most tokens the student and the teacher generate together for one answer. Must be at least 1.
     */
    @WithDefault("8192")
    int maxTokens();

    /**
     * The most tokens the teacher generates for one answer (a cost cap); unset means only {@code max-tokens}
     * limits it. Must not be negative.
     */
    OptionalInt maxTeacherTokens();

    /**
     * Who decides when the teacher writes: {@code command} (the trained student's {@code <call>N</call>}
     * commands), {@code never} (the student alone, for evaluation) or {@code teacher-only} (the teacher alone).
     */
    @WithDefault("command")
    String callPolicy();

    /**
     * What a teacher error or timeout does: {@code continue-with-student} (drop the command, count the round as
     * failed, let the student finish) or {@code fail} (the request fails).
     */
    @WithDefault("continue-with-student")
    String teacherFailure();
}
