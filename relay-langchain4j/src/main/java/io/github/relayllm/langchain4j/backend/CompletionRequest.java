package io.github.relayllm.langchain4j.backend;

import io.github.relayllm.langchain4j.internal.Checks;

import java.util.List;
import java.util.Objects;

import static io.github.relayllm.langchain4j.internal.Checks.ensureAtLeast;
import static io.github.relayllm.langchain4j.internal.Checks.ensureNoNulls;
import static io.github.relayllm.langchain4j.internal.Checks.ensureNotNull;

/**
 * One raw-text completion call: the prompt is continued as it is, with no chat template applied by the server.
 * Immutable; build with {@link #builder()}.
 */
public final class CompletionRequest {

    private final String prompt;
    private final int maxTokens;
    private final boolean exactLength;
    private final List<String> stopStrings;
    private final Double temperature;
    private final Double topP;
    private final Integer seed;
    private final Integer logprobs;
    private final String jsonSchema;

    private CompletionRequest(Builder builder) {
        this.prompt = ensureNotNull(builder.prompt, "prompt");
        this.maxTokens = ensureAtLeast(builder.maxTokens, 1, "maxTokens");
        this.exactLength = builder.exactLength;
        this.stopStrings = List.copyOf(ensureNoNulls(builder.stopStrings, "stopStrings"));
        this.temperature = builder.temperature;
        this.topP = builder.topP;
        this.seed = builder.seed;
        this.logprobs = builder.logprobs;
        if (logprobs != null) {
            ensureAtLeast(logprobs, 0, "logprobs");
        }
        this.jsonSchema = builder.jsonSchema;
        if (jsonSchema != null) {
            Checks.ensureNotBlank(jsonSchema, "jsonSchema");
        }
    }

    /** The text to continue, sent as it is. */
    public String prompt() {
        return prompt;
    }

    /** The most tokens to generate; always sent (vLLM would otherwise stop after 16). */
    public int maxTokens() {
        return maxTokens;
    }

    /**
     * When true, generate exactly {@link #maxTokens()} tokens, ignoring end-of-sequence, where the backend can
     * ({@link CompletionBackend#supportsExactLength()}); elsewhere max tokens stays an upper bound.
     */
    public boolean exactLength() {
        return exactLength;
    }

    /** Strings that end the generation; the matched one ends {@link Completion#text()}. */
    public List<String> stopStrings() {
        return stopStrings;
    }

    /** Sampling temperature; {@code null} leaves the backend's default. 0 means greedy. */
    public Double temperature() {
        return temperature;
    }

    /** Nucleus sampling; {@code null} leaves the backend's default. */
    public Double topP() {
        return topP;
    }

    /** Sampling seed; {@code null} leaves the backend's default. */
    public Integer seed() {
        return seed;
    }

    /**
     * When not {@code null}, ask for the log-probability of each generated token ({@code 0}: the sampled token
     * only; {@code k > 0}: also the top k alternatives where the backend reports them).
     */
    public Integer logprobs() {
        return logprobs;
    }

    /**
     * When not {@code null}, a JSON schema (as JSON text, e.g. {@code {"type": "object"}}) that the generated text
     * must match from its first character: backends that can ({@link CompletionBackend#supportsJsonSchema()}:
     * llama.cpp grammars, vLLM guided decoding) constrain the sampling to it; others ignore it. The relay sets it
     * only on a completion that writes a whole JSON answer by itself, and validates every JSON answer afterwards.
     */
    public String jsonSchema() {
        return jsonSchema;
    }

    public Builder toBuilder() {
        return new Builder()
                .prompt(prompt).maxTokens(maxTokens).exactLength(exactLength).stopStrings(stopStrings)
                .temperature(temperature).topP(topP).seed(seed).logprobs(logprobs).jsonSchema(jsonSchema);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CompletionRequest that)) {
            return false;
        }
        return maxTokens == that.maxTokens && exactLength == that.exactLength && prompt.equals(that.prompt)
                && stopStrings.equals(that.stopStrings) && Objects.equals(temperature, that.temperature)
                && Objects.equals(topP, that.topP) && Objects.equals(seed, that.seed)
                && Objects.equals(logprobs, that.logprobs) && Objects.equals(jsonSchema, that.jsonSchema);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prompt, maxTokens, exactLength, stopStrings, temperature, topP, seed, logprobs,
                jsonSchema);
    }

    @Override
    public String toString() {
        return "CompletionRequest{promptChars=" + prompt.length() + ", maxTokens=" + maxTokens
                + ", exactLength=" + exactLength + ", stopStrings=" + stopStrings + ", temperature=" + temperature
                + ", topP=" + topP + ", seed=" + seed + ", logprobs=" + logprobs
                + (jsonSchema == null ? "" : ", jsonSchemaChars=" + jsonSchema.length()) + '}';
    }

    public static final class Builder {

        private String prompt;
        private int maxTokens;
        private boolean exactLength;
        private List<String> stopStrings = List.of();
        private Double temperature;
        private Double topP;
        private Integer seed;
        private Integer logprobs;
        private String jsonSchema;

        private Builder() {
        }

        public Builder prompt(String prompt) {
            this.prompt = prompt;
            return this;
        }

        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        public Builder exactLength(boolean exactLength) {
            this.exactLength = exactLength;
            return this;
        }

        public Builder stopStrings(List<String> stopStrings) {
            this.stopStrings = stopStrings == null ? List.of() : stopStrings;
            return this;
        }

        public Builder stopStrings(String... stopStrings) {
            return stopStrings(List.of(stopStrings));
        }

        public Builder temperature(Double temperature) {
            this.temperature = temperature;
            return this;
        }

        public Builder topP(Double topP) {
            this.topP = topP;
            return this;
        }

        public Builder seed(Integer seed) {
            this.seed = seed;
            return this;
        }

        public Builder logprobs(Integer logprobs) {
            this.logprobs = logprobs;
            return this;
        }

        /** See {@link CompletionRequest#jsonSchema()}; {@code null} (the default): no constraint. */
        public Builder jsonSchema(String jsonSchema) {
            this.jsonSchema = jsonSchema;
            return this;
        }

        public CompletionRequest build() {
            return new CompletionRequest(this);
        }
    }
}
