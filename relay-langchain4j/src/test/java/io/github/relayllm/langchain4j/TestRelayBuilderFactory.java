package io.github.relayllm.langchain4j;

import io.github.relayllm.langchain4j.spi.RelayChatLanguageModelBuilderFactory;


/** Registered in test resources: proves {@link RelayChatLanguageModel#builder()} consults the SPI. */
public class TestRelayBuilderFactory implements RelayChatLanguageModelBuilderFactory {

    @Override
    public RelayChatLanguageModel.Builder get() {
        return new MarkedBuilder();
    }

    static final class MarkedBuilder extends RelayChatLanguageModel.Builder {
    }
}
