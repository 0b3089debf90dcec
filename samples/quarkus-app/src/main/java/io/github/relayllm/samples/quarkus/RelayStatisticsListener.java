package io.github.relayllm.samples.quarkus;

import io.github.relayllm.langchain4j.RelayResponseMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import io.quarkus.arc.Arc;

/** Hands each relay answer's metadata to the request's {@link RelayStatistics}; the extension attaches it. */
@ApplicationScoped
public class RelayStatisticsListener implements ChatModelListener {

    @Inject
    RelayStatistics statistics;

    @Override
    public void onResponse(ChatModelResponseContext context) {
        if (context.chatResponse().metadata() instanceof RelayResponseMetadata relay
                && Arc.container().requestContext().isActive()) {
            statistics.record(relay);
        }
    }
}
