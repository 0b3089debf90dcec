package io.github.relayllm.quarkus.runtime;

import io.github.relayllm.langchain4j.embedded.EmbeddedModels;


/** The embedded default: the project's tiny relay student and teacher, run in process (no server, no download). */
final class EmbeddedPair {

    static final String STUDENT = EmbeddedModels.RELAY_STUDENT;
    static final String TEACHER = EmbeddedModels.TEACHER;

    private EmbeddedPair() {
    }

    static RelayBackends.Pair open() {
        // both loaded before any generation: the engine gives wrong output for models loaded later
        return new RelayBackends.Pair(EmbeddedModels.relayStudent(), EmbeddedModels.teacher());
    }
}
