package io.github.relayllm.samples.quarkus;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.service.UserMessage;
import io.quarkiverse.langchain4j.RegisterAiService;

/** An AI service answered by the default relay model: the student writes, the teacher takes over where asked. */
@RegisterAiService
@ApplicationScoped
public interface MathTutor {

    String answer(@UserMessage String question);
}
