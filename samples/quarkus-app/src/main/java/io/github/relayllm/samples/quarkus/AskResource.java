package io.github.relayllm.samples.quarkus;

import io.github.relayllm.langchain4j.RelayResponseMetadata;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;


/** {@code POST /ask {"question": "..."}}: the answer and what the relay spent on it. */
@Path("/ask")
public class AskResource {

    public record Question(String question) {
    }

    public record Answer(String answer, Statistics relay) {
    }

    /** The relay statistics of one answer. */
    public record Statistics(int studentTokens, int teacherTokens, double callRatio, int rounds, int failedRounds,
            String finishReason, long studentLatencyMillis, long teacherLatencyMillis) {

        static Statistics of(RelayResponseMetadata relay) {
            if (relay == null) {
                return null;
            }
            return new Statistics(relay.studentTokens(), relay.teacherTokens(), relay.callRatio(), relay.rounds(),
                    relay.failedRounds(), String.valueOf(relay.relayFinishReason()),
                    relay.studentLatency().toMillis(), relay.teacherLatency().toMillis());
        }
    }

    @Inject
    MathTutor tutor;

    @Inject
    RelayStatistics statistics;

    @POST
    public Answer ask(Question question) {
        if (question == null || question.question() == null || question.question().isBlank()) {
            throw new BadRequestException("send {\"question\": \"...\"}");
        }
        String answer = tutor.answer(question.question());
        return new Answer(answer, Statistics.of(statistics.last()));
    }
}
