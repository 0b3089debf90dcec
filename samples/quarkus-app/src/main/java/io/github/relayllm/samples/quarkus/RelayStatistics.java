package io.github.relayllm.samples.quarkus;

import io.github.relayllm.langchain4j.RelayResponseMetadata;
import jakarta.enterprise.context.RequestScoped;


/** The relay metadata of the last answer in this HTTP request (set by {@link RelayStatisticsListener}). */
@RequestScoped
public class RelayStatistics {

    private RelayResponseMetadata last;

    void record(RelayResponseMetadata metadata) {
        this.last = metadata;
    }

    public RelayResponseMetadata last() {
        return last;
    }
}
