package io.github.relayllm.samples;

import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * For the samples' tests: a model that answers from a script of the prompt it gets and records the prompts.
 * Streaming hands the text over in pieces of {@code pieceLength} characters (by default all at once). One source
 * for every sample's tests: each sample's pom adds this folder to its test sources.
 */
public final class ScriptedBackend implements CompletionBackend {

    private final String name;
    private final Function<String, Completion> script;
    private final int pieceLength;
    public final List<String> prompts = Collections.synchronizedList(new ArrayList<>());

    public ScriptedBackend(String name, Function<String, Completion> script) {
        this(name, script, Integer.MAX_VALUE);
    }

    public ScriptedBackend(String name, Function<String, Completion> script, int pieceLength) {
        this.name = name;
        this.script = script;
        this.pieceLength = pieceLength;
    }

    @Override
    public Completion complete(CompletionRequest request) {
        prompts.add(request.prompt());
        return script.apply(request.prompt());
    }

    @Override
    public Completion completeStreaming(CompletionRequest request, StreamingCompletionHandler handler) {
        Completion completion = complete(request);
        String text = completion.text();
        for (int i = 0; i < text.length(); i += pieceLength) {
            handler.onPartialText(text.substring(i, (int) Math.min(text.length(), (long) i + pieceLength)));
        }
        return completion;
    }

    @Override
    public String name() {
        return "scripted(" + name + ")";
    }

    @Override
    public String modelName() {
        return name;
    }

    /** A completion that ended with end-of-sequence. */
    public static Completion eos(String text) {
        return completion(text, Completion.FinishReason.EOS).build();
    }

    /** A completion that stopped at its token limit (a teacher span). */
    public static Completion length(String text) {
        return completion(text, Completion.FinishReason.LENGTH).build();
    }

    /** A student completion that ends with its command {@code <call>N</call>}. */
    public static Completion call(String text) {
        return completion(text, Completion.FinishReason.STOP).stopString("</call>").build();
    }

    private static Completion.Builder completion(String text, Completion.FinishReason finishReason) {
        return Completion.builder().text(text).generatedTokens(text.length() / 3 + 1).finishReason(finishReason);
    }
}
