package io.github.relayllm.langchain4j;

/**
 * The log-probability (natural log) a model gave to a token it generated.
 *
 * @param token   the token's text as the backend reports it
 * @param logprob natural-log probability of the token, at most 0
 */
public record TokenLogprob(String token, double logprob) {

    /** The probability, {@code exp(logprob)}. */
    public double probability() {
        return Math.exp(logprob);
    }
}
