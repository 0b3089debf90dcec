package io.github.relayllm.langchain4j;

import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.TokenLogprob;

import java.util.List;

/**
 * One request's decision, token by token, whether the student keeps the token it sampled or stops before it so the
 * teacher takes over (the training-free relay, {@link ConfidenceCallPolicy}). Made per request by
 * {@link CallPolicy#newTokenGate()}; used by one thread.
 */
interface TokenGate {

    /** True to keep the token; false to stop the student before it (a call). */
    boolean accept(TokenLogprob token);

    /**
     * For a backend that reports probabilities only with the finished completion: offers its tokens to the gate in
     * order and cuts the completion before the first refused one, as a backend with
     * {@link io.github.relayllm.langchain4j.backend.CompletionBackend#supportsTokenRefusal()} would have stopped. The text is cut where the refused token's
     * text begins (the concatenated token texts, when they are a prefix of the text; else their summed length).
     * Tokens after the cut were generated in vain and are not counted.
     */
    static Completion cut(Completion completion, TokenGate gate) {
        List<TokenLogprob> tokens = completion.logprobs();
        int kept = 0;
        while (kept < tokens.size() && gate.accept(tokens.get(kept))) {
            kept++;
        }
        if (kept == tokens.size()) {
            return completion;
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < kept; i++) {
            prefix.append(tokens.get(i).token());
        }
        String text = completion.text();
        int end = text.startsWith(prefix.toString()) ? prefix.length() : Math.min(prefix.length(), text.length());
        return completion.toBuilder()
                .text(text.substring(0, end))
                .generatedTokens(kept)
                .finishReason(Completion.FinishReason.REFUSED)
                .stopString(null)
                .logprobs(tokens.subList(0, kept))
                .build();
    }
}
