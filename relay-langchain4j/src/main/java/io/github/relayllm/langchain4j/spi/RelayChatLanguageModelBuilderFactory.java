package io.github.relayllm.langchain4j.spi;

import io.github.relayllm.langchain4j.RelayChatLanguageModel;

import java.util.function.Supplier;

/**
 * Supplies the builder {@link RelayChatLanguageModel#builder()} returns; registered in
 * {@code META-INF/services/io.github.relayllm.langchain4j.spi.RelayChatLanguageModelBuilderFactory}. The first one
 * found wins. This is how an integration (Quarkus) customises every relay model built in an application.
 */
public interface RelayChatLanguageModelBuilderFactory extends Supplier<RelayChatLanguageModel.Builder> {
}
