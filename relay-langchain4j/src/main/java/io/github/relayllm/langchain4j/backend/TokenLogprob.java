package io.github.relayllm.langchain4j.backend;

import java.util.List;

/**
 * The log-probability (natural log) a model gave to a token it generated, with the most likely alternatives at that
 * position when they were asked for ({@link CompletionRequest#logprobs()} {@code > 0}) and the backend reports them.
 *
 * @param token        the token's text as the backend reports it
 * @param logprob      natural-log probability of the token, at most 0
 * @param topLogprobs  the most likely tokens at this position, most likely first (the token itself may be among
 *                     them); empty when not reported. Their own {@code topLogprobs} are empty.
 */
public record TokenLogprob(String token, double logprob, List<TokenLogprob> topLogprobs) {

    public TokenLogprob {
        topLogprobs = topLogprobs == null ? List.of() : List.copyOf(topLogprobs);
    }

    /** A token without alternatives. */
    public TokenLogprob(String token, double logprob) {
        this(token, logprob, List.of());
    }

    /** The probability, {@code exp(logprob)}. */
    public double probability() {
        return Math.exp(logprob);
    }

    /**
     * The entropy (nats) of the model's distribution at this position, estimated from {@link #topLogprobs()}: the
     * probability mass they leave uncovered counts as one more outcome, so this is a lower bound that is exact when
     * the alternatives cover the whole distribution. Without alternatives it is the entropy of the two outcomes "this
     * token" and "another token".
     */
    public double entropy() {
        List<TokenLogprob> outcomes = topLogprobs.isEmpty() ? List.of(this) : topLogprobs;
        double covered = 0;
        double entropy = 0;
        for (TokenLogprob outcome : outcomes) {
            double p = outcome.probability();
            covered += p;
            if (p > 0) {
                entropy -= p * outcome.logprob();
            }
        }
        double rest = 1 - covered;
        if (rest > 1e-12) {
            entropy -= rest * Math.log(rest);
        }
        return Math.max(0, entropy);
    }
}
