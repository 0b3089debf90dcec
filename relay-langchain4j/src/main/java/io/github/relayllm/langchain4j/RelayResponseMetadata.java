package io.github.relayllm.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import io.github.relayllm.langchain4j.internal.Checks;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a relay answer cost and who wrote it: {@code (RelayResponseMetadata) chatResponse.metadata()}.
 * <p>
 * {@link #tokenUsage()} sums both models: input = student + teacher prompt tokens (every call's prompt, as each
 * backend counted it), output = student + teacher generated tokens. {@link #finishReason()} is LangChain4j's
 * ({@code STOP}, {@code LENGTH} when a budget ended the answer, {@code TOOL_EXECUTION} when tool calls were parsed);
 * {@link #relayFinishReason()} says which relay rule ended it.
 */
public class RelayResponseMetadata extends ChatResponseMetadata {

    private final int studentTokens;
    private final int teacherTokens;
    private final int studentPromptTokens;
    private final int teacherPromptTokens;
    private final Integer studentCachedPromptTokens;
    private final Integer teacherCachedPromptTokens;
    private final int rounds;
    private final int failedRounds;
    private final List<RelaySegment> segments;
    private final Duration studentLatency;
    private final Duration teacherLatency;
    private final RelayFinishReason relayFinishReason;
    private final List<String> toolCallProblems;

    protected RelayResponseMetadata(Builder builder) {
        super(builder);
        this.studentTokens = Checks.ensureAtLeast(builder.studentTokens, 0, "studentTokens");
        this.teacherTokens = Checks.ensureAtLeast(builder.teacherTokens, 0, "teacherTokens");
        this.studentPromptTokens = Checks.ensureAtLeast(builder.studentPromptTokens, 0, "studentPromptTokens");
        this.teacherPromptTokens = Checks.ensureAtLeast(builder.teacherPromptTokens, 0, "teacherPromptTokens");
        this.studentCachedPromptTokens = builder.studentCachedPromptTokens;
        this.teacherCachedPromptTokens = builder.teacherCachedPromptTokens;
        this.rounds = Checks.ensureAtLeast(builder.rounds, 0, "rounds");
        this.failedRounds = Checks.ensureAtLeast(builder.failedRounds, 0, "failedRounds");
        this.segments = builder.segments == null ? List.of() : List.copyOf(builder.segments);
        this.studentLatency = builder.studentLatency == null ? Duration.ZERO : builder.studentLatency;
        this.teacherLatency = builder.teacherLatency == null ? Duration.ZERO : builder.teacherLatency;
        this.relayFinishReason = builder.relayFinishReason;
        this.toolCallProblems = builder.toolCallProblems == null ? List.of() : List.copyOf(builder.toolCallProblems);
    }

    /** Tokens the student generated (its commands included). */
    public int studentTokens() {
        return studentTokens;
    }

    /** Tokens the teacher generated. */
    public int teacherTokens() {
        return teacherTokens;
    }

    /** Prompt tokens of all student calls, summed. */
    public int studentPromptTokens() {
        return studentPromptTokens;
    }

    /** Prompt tokens of all teacher calls, summed. */
    public int teacherPromptTokens() {
        return teacherPromptTokens;
    }

    /** Student prompt tokens served from a cache, summed over the calls that reported it; {@code null} if none did. */
    public Integer studentCachedPromptTokens() {
        return studentCachedPromptTokens;
    }

    /** Teacher prompt tokens served from a cache, summed over the calls that reported it; {@code null} if none did. */
    public Integer teacherCachedPromptTokens() {
        return teacherCachedPromptTokens;
    }

    /** Teacher tokens / (student + teacher generated tokens); 0 when nothing was generated. */
    public double callRatio() {
        int generated = studentTokens + teacherTokens;
        return generated == 0 ? 0.0 : (double) teacherTokens / generated;
    }

    /** Teacher calls made, failed ones included. */
    public int rounds() {
        return rounds;
    }

    /** Teacher calls that failed (under {@link TeacherFailurePolicy#CONTINUE_WITH_STUDENT}). */
    public int failedRounds() {
        return failedRounds;
    }

    /** Who wrote which span of the answer, in order, commands excluded, adjacent spans of one model merged. */
    public List<RelaySegment> segments() {
        return segments;
    }

    /** Time spent in student calls, summed. */
    public Duration studentLatency() {
        return studentLatency;
    }

    /** Time spent in teacher calls, summed. */
    public Duration teacherLatency() {
        return teacherLatency;
    }

    /** Which relay rule ended the answer. */
    public RelayFinishReason relayFinishReason() {
        return relayFinishReason;
    }

    /**
     * What was wrong with the tool calls the models wrote, one message per problem (empty when nothing was): a
     * block that is not closed or not valid JSON (it stays in the answer text), or a call of a tool the request did
     * not offer (it stays a tool execution request). See {@link io.github.relayllm.langchain4j.format.PromptFormat#toolCallProblems}.
     */
    public List<String> toolCallProblems() {
        return toolCallProblems;
    }

    @Override
    public Builder toBuilder() {
        return ((Builder) super.toBuilder(builder()))
                .studentTokens(studentTokens).teacherTokens(teacherTokens)
                .studentPromptTokens(studentPromptTokens).teacherPromptTokens(teacherPromptTokens)
                .studentCachedPromptTokens(studentCachedPromptTokens)
                .teacherCachedPromptTokens(teacherCachedPromptTokens)
                .rounds(rounds).failedRounds(failedRounds).segments(segments)
                .studentLatency(studentLatency).teacherLatency(teacherLatency)
                .relayFinishReason(relayFinishReason).toolCallProblems(toolCallProblems);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || getClass() != o.getClass() || !super.equals(o)) {
            return false;
        }
        RelayResponseMetadata that = (RelayResponseMetadata) o;
        return studentTokens == that.studentTokens && teacherTokens == that.teacherTokens
                && studentPromptTokens == that.studentPromptTokens && teacherPromptTokens == that.teacherPromptTokens
                && Objects.equals(studentCachedPromptTokens, that.studentCachedPromptTokens)
                && Objects.equals(teacherCachedPromptTokens, that.teacherCachedPromptTokens)
                && rounds == that.rounds && failedRounds == that.failedRounds && segments.equals(that.segments)
                && studentLatency.equals(that.studentLatency) && teacherLatency.equals(that.teacherLatency)
                && relayFinishReason == that.relayFinishReason && toolCallProblems.equals(that.toolCallProblems);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), studentTokens, teacherTokens, studentPromptTokens, teacherPromptTokens,
                studentCachedPromptTokens, teacherCachedPromptTokens, rounds, failedRounds, segments, studentLatency,
                teacherLatency, relayFinishReason, toolCallProblems);
    }

    @Override
    public String toString() {
        return "RelayResponseMetadata{id=" + id() + ", modelName=" + modelName() + ", tokenUsage=" + tokenUsage()
                + ", finishReason=" + finishReason() + ", relayFinishReason=" + relayFinishReason
                + ", studentTokens=" + studentTokens + ", teacherTokens=" + teacherTokens
                + ", studentPromptTokens=" + studentPromptTokens + ", teacherPromptTokens=" + teacherPromptTokens
                + ", studentCachedPromptTokens=" + studentCachedPromptTokens
                + ", teacherCachedPromptTokens=" + teacherCachedPromptTokens + ", callRatio=" + callRatio()
                + ", rounds=" + rounds + ", failedRounds=" + failedRounds + ", segments=" + segments.size()
                + ", studentLatency=" + studentLatency + ", teacherLatency=" + teacherLatency
                + ", toolCallProblems=" + toolCallProblems + '}';
    }

    public static Builder builder() {
        return new Builder();
    }

    public static class Builder extends ChatResponseMetadata.Builder<Builder> {

        private int studentTokens;
        private int teacherTokens;
        private int studentPromptTokens;
        private int teacherPromptTokens;
        private Integer studentCachedPromptTokens;
        private Integer teacherCachedPromptTokens;
        private int rounds;
        private int failedRounds;
        private List<RelaySegment> segments;
        private Duration studentLatency;
        private Duration teacherLatency;
        private RelayFinishReason relayFinishReason;
        private List<String> toolCallProblems;

        public Builder studentTokens(int studentTokens) {
            this.studentTokens = studentTokens;
            return this;
        }

        public Builder teacherTokens(int teacherTokens) {
            this.teacherTokens = teacherTokens;
            return this;
        }

        public Builder studentPromptTokens(int studentPromptTokens) {
            this.studentPromptTokens = studentPromptTokens;
            return this;
        }

        public Builder teacherPromptTokens(int teacherPromptTokens) {
            this.teacherPromptTokens = teacherPromptTokens;
            return this;
        }

        public Builder studentCachedPromptTokens(Integer studentCachedPromptTokens) {
            this.studentCachedPromptTokens = studentCachedPromptTokens;
            return this;
        }

        public Builder teacherCachedPromptTokens(Integer teacherCachedPromptTokens) {
            this.teacherCachedPromptTokens = teacherCachedPromptTokens;
            return this;
        }

        public Builder rounds(int rounds) {
            this.rounds = rounds;
            return this;
        }

        public Builder failedRounds(int failedRounds) {
            this.failedRounds = failedRounds;
            return this;
        }

        public Builder segments(List<RelaySegment> segments) {
            this.segments = segments;
            return this;
        }

        public Builder studentLatency(Duration studentLatency) {
            this.studentLatency = studentLatency;
            return this;
        }

        public Builder teacherLatency(Duration teacherLatency) {
            this.teacherLatency = teacherLatency;
            return this;
        }

        public Builder relayFinishReason(RelayFinishReason relayFinishReason) {
            this.relayFinishReason = relayFinishReason;
            return this;
        }

        public Builder toolCallProblems(List<String> toolCallProblems) {
            this.toolCallProblems = toolCallProblems;
            return this;
        }

        @Override
        public RelayResponseMetadata build() {
            return new RelayResponseMetadata(this);
        }
    }
}
