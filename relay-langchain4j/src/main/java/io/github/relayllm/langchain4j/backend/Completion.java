package io.github.relayllm.langchain4j.backend;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import static io.github.relayllm.langchain4j.internal.Checks.ensureAtLeast;
import static io.github.relayllm.langchain4j.internal.Checks.ensureNotNull;

/**
 * What a {@link CompletionBackend} generated for one {@link CompletionRequest}. Immutable.
 */
public final class Completion {

    /** Why the model stopped. */
    public enum FinishReason {
        /** It wrote one of the request's stop strings ({@link #stopString()} says which). */
        STOP,
        /** It reached the request's max tokens. */
        LENGTH,
        /** It wrote its end-of-sequence token. */
        EOS,
        /**
         * The streaming handler refused the next token ({@link StreamingCompletionHandler#acceptToken} returned false):
         * the text ends just before it.
         */
        REFUSED
    }

    private final String text;
    private final int generatedTokens;
    private final int promptTokens;
    private final Integer cachedPromptTokens;
    private final FinishReason finishReason;
    private final String stopString;
    private final List<TokenLogprob> logprobs;
    private final Duration latency;

    private Completion(Builder builder) {
        this.text = ensureNotNull(builder.text, "text");
        this.generatedTokens = ensureAtLeast(builder.generatedTokens, 0, "generatedTokens");
        this.promptTokens = ensureAtLeast(builder.promptTokens, 0, "promptTokens");
        this.cachedPromptTokens = builder.cachedPromptTokens;
        this.finishReason = ensureNotNull(builder.finishReason, "finishReason");
        this.stopString = builder.stopString;
        this.logprobs = builder.logprobs == null ? List.of() : List.copyOf(builder.logprobs);
        this.latency = builder.latency == null ? Duration.ZERO : builder.latency;
        if (finishReason == FinishReason.STOP && (stopString == null || !text.endsWith(stopString))) {
            throw new IllegalArgumentException("a STOP completion must end with its stopString (text ends with '"
                    + tail(text) + "', stopString is " + (stopString == null ? "null" : "'" + stopString + "'") + ")");
        }
    }

    private static String tail(String text) {
        return text.length() <= 20 ? text : text.substring(text.length() - 20);
    }

    /** The generated text; ends with {@link #stopString()} when the model stopped on it. */
    public String text() {
        return text;
    }

    /** Tokens the model generated (a matched stop string's tokens included). */
    public int generatedTokens() {
        return generatedTokens;
    }

    /** Tokens in the prompt as the backend counted them. */
    public int promptTokens() {
        return promptTokens;
    }

    /** Prompt tokens served from a cache instead of being evaluated again; {@code null} when unknown. */
    public Integer cachedPromptTokens() {
        return cachedPromptTokens;
    }

    public FinishReason finishReason() {
        return finishReason;
    }

    /** The stop string the model wrote, when {@link #finishReason()} is {@link FinishReason#STOP}; else null. */
    public String stopString() {
        return stopString;
    }

    /** Log-probabilities of the generated tokens, when they were requested and the backend reports them. */
    public List<TokenLogprob> logprobs() {
        return logprobs;
    }

    /** Wall time of the call as the client saw it. */
    public Duration latency() {
        return latency;
    }

    public Builder toBuilder() {
        return new Builder().text(text).generatedTokens(generatedTokens).promptTokens(promptTokens)
                .cachedPromptTokens(cachedPromptTokens).finishReason(finishReason).stopString(stopString)
                .logprobs(logprobs).latency(latency);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Completion that)) {
            return false;
        }
        return generatedTokens == that.generatedTokens && promptTokens == that.promptTokens
                && text.equals(that.text) && Objects.equals(cachedPromptTokens, that.cachedPromptTokens)
                && finishReason == that.finishReason && Objects.equals(stopString, that.stopString)
                && logprobs.equals(that.logprobs) && latency.equals(that.latency);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, generatedTokens, promptTokens, cachedPromptTokens, finishReason, stopString,
                logprobs, latency);
    }

    @Override
    public String toString() {
        return "Completion{text='" + text + "', generatedTokens=" + generatedTokens + ", promptTokens="
                + promptTokens + ", cachedPromptTokens=" + cachedPromptTokens + ", finishReason=" + finishReason
                + ", stopString=" + stopString + ", logprobs=" + logprobs.size() + ", latency=" + latency + '}';
    }

    public static final class Builder {

        private String text;
        private int generatedTokens;
        private int promptTokens;
        private Integer cachedPromptTokens;
        private FinishReason finishReason;
        private String stopString;
        private List<TokenLogprob> logprobs;
        private Duration latency;

        private Builder() {
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder generatedTokens(int generatedTokens) {
            this.generatedTokens = generatedTokens;
            return this;
        }

        public Builder promptTokens(int promptTokens) {
            this.promptTokens = promptTokens;
            return this;
        }

        public Builder cachedPromptTokens(Integer cachedPromptTokens) {
            this.cachedPromptTokens = cachedPromptTokens;
            return this;
        }

        public Builder finishReason(FinishReason finishReason) {
            this.finishReason = finishReason;
            return this;
        }

        public Builder stopString(String stopString) {
            this.stopString = stopString;
            return this;
        }

        public Builder logprobs(List<TokenLogprob> logprobs) {
            this.logprobs = logprobs;
            return this;
        }

        public Builder latency(Duration latency) {
            this.latency = latency;
            return this;
        }

        public Completion build() {
            return new Completion(this);
        }
    }
}
