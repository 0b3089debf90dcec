package io.github.relayllm.samples.streaming;

import io.github.relayllm.langchain4j.Completion;
import io.github.relayllm.langchain4j.CompletionBackend;
import io.github.relayllm.langchain4j.CompletionRequest;
import io.github.relayllm.langchain4j.StreamingCompletionHandler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/** A model that answers from a script of the prompt it gets, streaming two characters a piece; records the prompts. */
final class ScriptedBackend implements CompletionBackend {

    private final String name;
    private final Function<String, Completion> script;
    final List<String> prompts = Collections.synchronizedList(new ArrayList<>());

    ScriptedBackend(String name, Function<String, Completion> script) {
        this.name = name;
        this.script = script;
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
        for (int i = 0; i < text.length(); i += 2) { // two characters a piece, so commands arrive split
            handler.onPartialText(text.substring(i, Math.min(text.length(), i + 2)));
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

    static Completion eos(String text) {
        return Completion.builder().text(text).generatedTokens(text.length() / 3 + 1)
                .finishReason(Completion.FinishReason.EOS).build();
    }

    static Completion length(String text) {
        return Completion.builder().text(text).generatedTokens(text.length() / 3 + 1)
                .finishReason(Completion.FinishReason.LENGTH).build();
    }

    /** A student completion that ends with its command {@code <call>N</call>}. */
    static Completion call(String text) {
        return Completion.builder().text(text).generatedTokens(text.length() / 3 + 1)
                .finishReason(Completion.FinishReason.STOP).stopString("</call>").build();
    }
}
