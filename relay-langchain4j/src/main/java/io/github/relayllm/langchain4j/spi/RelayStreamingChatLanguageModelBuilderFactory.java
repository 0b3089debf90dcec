package io.github.relayllm.langchain4j.spi;

import io.github.relayllm.langchain4j.RelayStreamingChatLanguageModel;

import java.util.function.Supplier;

/**
 * Supplies the builder {@link RelayStreamingChatLanguageModel#builder()} returns; registered in
 * {@code META-INF/services/io.github.relayllm.langchain4j.spi.RelayStreamingChatLanguageModelBuilderFactory}. The
 * first one found wins. This is how an integration (Quarkus) customises every streaming relay model of an
 * application.
 */
public interface RelayStreamingChatLanguageModelBuilderFactory
        extends Supplier<RelayStreamingChatLanguageModel.Builder> {
}
