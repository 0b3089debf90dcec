package io.github.relayllm.langchain4j;

import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;
import io.github.relayllm.langchain4j.backend.TokenLogprob;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * A test model that writes one fixed answer, one character per token: it continues the prompt from the position its
 * answer part has reached (the text after the last {@code </think>\n\n}) and ends with end-of-sequence after the last
 * character. Each token gets the probability the test scripts for its position. Records every position it offered,
 * so a test can tell whether any position was generated twice. Not thread-safe (one test, one thread).
 */
final class PositionalCompletionBackend implements CompletionBackend {

    private static final String ANSWER_START = "</think>\n\n";

    private final String name;
    private final String answer;
    private final IntToDoubleFunction probabilityAt;
    private final boolean refusal;
    private final List<Integer> offeredPositions = new ArrayList<>();
    private final List<CompletionRequest> requests = new ArrayList<>();

    /**
     * @param probabilityAt the probability of the token at each answer position
     * @param refusal       whether streaming offers each token to {@link StreamingCompletionHandler#acceptToken}
     */
    PositionalCompletionBackend(String name, String answer, IntToDoubleFunction probabilityAt, boolean refusal) {
        this.name = name;
        this.answer = answer;
        this.probabilityAt = probabilityAt;
        this.refusal = refusal;
    }

    /** Answer positions this backend generated a token for (refused ones included), in order. */
    List<Integer> offeredPositions() {
        return offeredPositions;
    }

    List<CompletionRequest> requests() {
        return requests;
    }

    @Override
    public Completion complete(CompletionRequest request) {
        return completeStreaming(request, text -> {
        });
    }

    @Override
    public Completion completeStreaming(CompletionRequest request, StreamingCompletionHandler handler) {
        requests.add(request);
        String prompt = request.prompt();
        int start = prompt.length() - (prompt.lastIndexOf(ANSWER_START) + ANSWER_START.length());
        if (!answer.startsWith(prompt.substring(prompt.length() - start))) {
            throw new IllegalStateException(name + ": the prompt's answer part '" + prompt.substring(prompt.length()
                    - start) + "' is not a prefix of '" + answer + "'");
        }
        StringBuilder text = new StringBuilder();
        List<TokenLogprob> logprobs = new ArrayList<>();
        int generated = 0;
        for (int position = start; generated < request.maxTokens(); position++) {
            boolean end = position >= answer.length();
            String token = end ? "" : String.valueOf(answer.charAt(position));
            TokenLogprob logprob = new TokenLogprob(token, Math.log(end ? 0.99 : probabilityAt.applyAsDouble(position)));
            offeredPositions.add(position);
            if (request.logprobs() != null && refusal && !handler.acceptToken(logprob)) {
                return completion(text, generated, Completion.FinishReason.REFUSED, logprobs, request);
            }
            generated++;
            if (request.logprobs() != null) {
                logprobs.add(logprob);
            }
            if (end) {
                return completion(text, generated, Completion.FinishReason.EOS, logprobs, request);
            }
            text.append(token);
            handler.onPartialText(token);
        }
        return completion(text, generated, Completion.FinishReason.LENGTH, logprobs, request);
    }

    private static Completion completion(StringBuilder text, int generated, Completion.FinishReason reason,
                                         List<TokenLogprob> logprobs, CompletionRequest request) {
        return Completion.builder().text(text.toString()).generatedTokens(generated).promptTokens(request.prompt()
                .length()).finishReason(reason).logprobs(request.logprobs() == null ? null : logprobs).build();
    }

    @Override
    public boolean supportsTokenProbabilities() {
        return true;
    }

    @Override
    public boolean supportsTokenRefusal() {
        return refusal;
    }

    @Override
    public String name() {
        return "positional(" + name + ")";
    }

    @Override
    public String modelName() {
        return name;
    }
}
