package io.github.relayllm.langchain4j;

import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.TokenLogprob;
import io.github.relayllm.langchain4j.internal.Checks;

import java.util.Locale;
import java.util.Objects;

/**
 * The training-free relay: any off-the-shelf student writes, and the teacher takes over for {@link #spanTokens()}
 * tokens wherever the student is unsure of the token it just sampled (the idea behind the CITER and Co-LLM
 * baselines, without their trained routers). Get one with {@link CallPolicy#confidence(double, int)} or
 * {@link CallPolicy#confidence()}.
 * <p>
 * How a request runs: the student's completions ask for token probabilities and stream; each sampled token is offered
 * to this policy before it joins the text ({@link io.github.relayllm.langchain4j.backend.StreamingCompletionHandler#acceptToken}). An unsure token (its
 * probability under {@link #threshold()}, or with {@link Criterion#ENTROPY} the entropy of the position above it) is
 * dropped and the student stops there, so no token is generated twice; the teacher continues the same text for
 * {@code spanTokens} tokens (clamped like a command's N to {@code maxCallTokens} and the budgets), then the student
 * goes on. Its end-of-sequence ends the answer, as for commands. After a teacher span the student writes at least
 * {@link #minGapTokens()} tokens before the next call. Once {@code maxRounds} or {@code maxTeacherTokens} is spent, or
 * after a teacher failure under {@code CONTINUE_WITH_STUDENT}, the student finishes alone (the answer does not end
 * early). Commands a relay-trained student writes are honoured as with {@link CallPolicy#command()}.
 * <p>
 * Needs a student that reports token probabilities ({@link CompletionBackend#supportsTokenProbabilities()}):
 * Ollama 0.12.11+, vLLM and llama-server ({@code openai} backend), or {@code JavaLlamaCompletionBackend} in process;
 * the relay model's {@code build()} rejects any other. A backend that reports probabilities only with the finished
 * completion ({@link CompletionBackend#supportsTokenRefusal()} false) still works: the relay cuts its completion at
 * the first unsure token, and the tokens after it were generated in vain.
 * <p>
 * Immutable and shared; the per-request state lives in the relay loop.
 */
public final class ConfidenceCallPolicy extends CallPolicy {

    /** What "unsure" means. */
    public enum Criterion {
        /** The sampled token's probability is below the threshold (a number in (0, 1]). */
        PROBABILITY,
        /**
         * The entropy (nats) of the distribution at the position is above the threshold; estimated from the
         * {@link ConfidenceCallPolicy#topLogprobs()} most likely tokens (see {@link TokenLogprob#entropy()}).
         */
        ENTROPY
    }

    static final int DEFAULT_SPAN_TOKENS = 16;
    static final int DEFAULT_ENTROPY_TOP_LOGPROBS = 10;

    private final double threshold;
    private final int spanTokens;
    private final Criterion criterion;
    private final int minGapTokens;
    private final int topLogprobs;

    private ConfidenceCallPolicy(Builder builder) {
        this.criterion = Objects.requireNonNullElse(builder.criterion, Criterion.PROBABILITY);
        if (builder.threshold == null) {
            throw new IllegalArgumentException("threshold must be set: CallPolicy.confidence().threshold(...)");
        }
        this.threshold = builder.threshold;
        if (criterion == Criterion.PROBABILITY && !(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be a probability between 0 and 1 for the PROBABILITY "
                    + "criterion (it is " + threshold + ")");
        }
        if (criterion == Criterion.ENTROPY && !(threshold >= 0 && Double.isFinite(threshold))) {
            throw new IllegalArgumentException("threshold must be an entropy of at least 0 nats for the ENTROPY "
                    + "criterion (it is " + threshold + ")");
        }
        this.spanTokens = Checks.ensureAtLeast(Objects.requireNonNullElse(builder.spanTokens, DEFAULT_SPAN_TOKENS), 1,
                "spanTokens");
        this.minGapTokens = Checks.ensureAtLeast(Objects.requireNonNullElse(builder.minGapTokens, 0), 0,
                "minGapTokens");
        this.topLogprobs = Checks.ensureAtLeast(Objects.requireNonNullElse(builder.topLogprobs,
                criterion == Criterion.ENTROPY ? DEFAULT_ENTROPY_TOP_LOGPROBS : 0), 0, "topLogprobs");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Under the threshold (probability) or above it (entropy), a token is unsure. */
    public double threshold() {
        return threshold;
    }

    /** Tokens the teacher writes per call, before clamping to {@code maxCallTokens} and the budgets. */
    public int spanTokens() {
        return spanTokens;
    }

    public Criterion criterion() {
        return criterion;
    }

    /** Student tokens that must follow a teacher span before the next call; 0 (the default) allows back-to-back calls. */
    public int minGapTokens() {
        return minGapTokens;
    }

    /** Alternatives asked for per token ({@link io.github.relayllm.langchain4j.backend.CompletionRequest#logprobs()}): 0 for PROBABILITY, 10 for ENTROPY. */
    public int topLogprobs() {
        return topLogprobs;
    }

    /** Whether the student is unsure of this token. */
    public boolean unsure(TokenLogprob token) {
        return criterion == Criterion.PROBABILITY ? token.probability() < threshold : token.entropy() > threshold;
    }

    /**
     * {@code confidence:<threshold>:<spanTokens>}, then {@code :entropy}, {@code :gap=<n>} and {@code :top=<k>} where
     * they differ from the defaults; {@link CallPolicy#fromName(String)} reads it back.
     */
    @Override
    public String name() {
        StringBuilder name = new StringBuilder("confidence:").append(number(threshold)).append(':').append(spanTokens);
        if (criterion == Criterion.ENTROPY) {
            name.append(":entropy");
        }
        if (minGapTokens > 0) {
            name.append(":gap=").append(minGapTokens);
        }
        if (topLogprobs != (criterion == Criterion.ENTROPY ? DEFAULT_ENTROPY_TOP_LOGPROBS : 0)) {
            name.append(":top=").append(topLogprobs);
        }
        return name.toString();
    }

    private static String number(double value) {
        String text = String.format(Locale.ROOT, "%.6f", value).replaceAll("0+$", "");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public String toString() {
        return "CallPolicy.confidence(" + name().substring("confidence:".length()) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfidenceCallPolicy that && threshold == that.threshold && spanTokens == that.spanTokens
                && criterion == that.criterion && minGapTokens == that.minGapTokens && topLogprobs == that.topLogprobs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(threshold, spanTokens, criterion, minGapTokens, topLogprobs);
    }

    /**
     * Parses what {@link #name()} writes: {@code confidence:<threshold>[:<spanTokens>][:entropy|:probability]
     * [:gap=<n>][:top=<k>]}.
     */
    static ConfidenceCallPolicy parse(String name) {
        String[] parts = name.split(":");
        Builder builder = builder();
        if (parts.length < 2 || parts[1].isBlank()) {
            throw new IllegalArgumentException("callPolicy '" + name + "' needs a threshold: confidence:<threshold>"
                    + "[:<spanTokens>][:entropy][:gap=<n>][:top=<k>], e.g. confidence:0.4:16");
        }
        try {
            builder.threshold(Double.parseDouble(parts[1].strip()));
            for (int i = 2; i < parts.length; i++) {
                String part = parts[i].strip().toLowerCase(Locale.ROOT);
                if (part.equals("entropy")) {
                    builder.criterion(Criterion.ENTROPY);
                } else if (part.equals("probability")) {
                    builder.criterion(Criterion.PROBABILITY);
                } else if (part.startsWith("gap=")) {
                    builder.minGapTokens(Integer.parseInt(part.substring(4)));
                } else if (part.startsWith("top=")) {
                    builder.topLogprobs(Integer.parseInt(part.substring(4)));
                } else if (i == 2) {
                    builder.spanTokens(Integer.parseInt(part));
                } else {
                    throw new IllegalArgumentException("callPolicy '" + name + "': unknown option '" + parts[i]
                            + "' (use entropy, probability, gap=<n> or top=<k>)");
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("callPolicy '" + name + "' has a malformed number: " + e.getMessage()
                    + " (format: confidence:<threshold>[:<spanTokens>][:entropy][:gap=<n>][:top=<k>])", e);
        }
        return builder.build();
    }

    // ---- hooks for the relay loop ----

    @Override
    boolean requiresStudent() {
        return true;
    }

    @Override
    boolean requiresTeacher() {
        return true;
    }

    @Override
    Integer studentLogprobs() {
        return topLogprobs;
    }

    @Override
    void checkBackends(CompletionBackend student, CompletionBackend teacher, String modelType) {
        if (student != null && !student.supportsTokenProbabilities()) {
            throw new IllegalArgumentException(this + " needs token probabilities from the student, and "
                    + student.name() + " cannot report them: use a student backend that does (ollama 0.12.11+, an "
                    + "openai backend on vLLM or llama-server, or JavaLlamaCompletionBackend in process) in "
                    + modelType + ".builder().student(...), or another callPolicy");
        }
    }

    @Override
    TokenGate newTokenGate() {
        return new Gate();
    }

    @Override
    CallRequest callAfterStudent(Completion completion, CharSequence transcript, RelaySettings settings) {
        if (completion.finishReason() == Completion.FinishReason.REFUSED) {
            return new CallRequest("", spanTokens);
        }
        return CallPolicy.command().callAfterStudent(completion, transcript, settings);
    }

    /** The per-request decision: unsure tokens are refused, except within the gap after a teacher span. */
    private final class Gate implements TokenGate {

        private int tokensSinceCall = Integer.MAX_VALUE / 2;

        @Override
        public boolean accept(TokenLogprob token) {
            if (tokensSinceCall >= minGapTokens && unsure(token)) {
                tokensSinceCall = 0;
                return false;
            }
            tokensSinceCall++;
            return true;
        }
    }

    /** Options of {@link ConfidenceCallPolicy}; {@code threshold} is required. */
    public static final class Builder {

        private Double threshold;
        private Integer spanTokens;
        private Criterion criterion;
        private Integer minGapTokens;
        private Integer topLogprobs;

        private Builder() {
        }

        /** Probability under which (or, for {@link Criterion#ENTROPY}, entropy in nats above which) a token is unsure. */
        public Builder threshold(Double threshold) {
            this.threshold = threshold;
            return this;
        }

        /** Tokens the teacher writes per call; default 16. */
        public Builder spanTokens(Integer spanTokens) {
            this.spanTokens = spanTokens;
            return this;
        }

        /** Default {@link Criterion#PROBABILITY}. */
        public Builder criterion(Criterion criterion) {
            this.criterion = criterion;
            return this;
        }

        /** Student tokens between a teacher span and the next call; default 0. */
        public Builder minGapTokens(Integer minGapTokens) {
            this.minGapTokens = minGapTokens;
            return this;
        }

        /** Alternatives per token asked of the backend; default 0 (PROBABILITY) or 10 (ENTROPY). */
        public Builder topLogprobs(Integer topLogprobs) {
            this.topLogprobs = topLogprobs;
            return this;
        }

        public ConfidenceCallPolicy build() {
            return new ConfidenceCallPolicy(this);
        }
    }
}
