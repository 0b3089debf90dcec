package io.github.relayllm.langchain4j.suites;


import io.github.relayllm.langchain4j.RelayBaseBuilder;
import io.github.relayllm.langchain4j.RelayChatLanguageModel;
import io.github.relayllm.langchain4j.RelayStreamingChatLanguageModel;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.ollama.OllamaCompletionBackend;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay models LangChain4j's suites run against: an Ollama student and an OpenAI-compatible teacher, both served
 * by one {@link SuiteModelServer} on loopback (a second one whose student fails, for the error tests). Owns the
 * servers and every backend it builds; {@link #close()} closes them all.
 */
final class SuiteRelays implements AutoCloseable {

    private final SuiteModelServer server = new SuiteModelServer();
    private final SuiteModelServer failingServer = new SuiteModelServer().failing();
    private final List<CompletionBackend> backends = new ArrayList<>();

    /** A blocking relay builder over the servers, student and teacher set. */
    RelayChatLanguageModel.Builder chat() {
        return relay(new RelayChatLanguageModel.Builder(), server);
    }

    RelayStreamingChatLanguageModel.Builder streaming() {
        return relay(new RelayStreamingChatLanguageModel.Builder(), server);
    }

    /** A blocking relay whose student server answers 404 "model not found". */
    RelayChatLanguageModel.Builder failingChat() {
        return relay(new RelayChatLanguageModel.Builder(), failingServer);
    }

    RelayStreamingChatLanguageModel.Builder failingStreaming() {
        return relay(new RelayStreamingChatLanguageModel.Builder(), failingServer);
    }

    private <B extends RelayBaseBuilder<?, B>> B relay(B builder, SuiteModelServer on) {
        OllamaCompletionBackend student = OllamaCompletionBackend.builder()
                .baseUrl(on.studentUrl()).modelName(SuiteModelServer.STUDENT_MODEL)
                .timeout(Duration.ofSeconds(20)).build();
        OpenAiCompletionBackend teacher = OpenAiCompletionBackend.builder()
                .baseUrl(on.teacherUrl()).modelName(SuiteModelServer.TEACHER_MODEL)
                .timeout(Duration.ofSeconds(20)).build();
        synchronized (backends) {
            backends.add(student);
            backends.add(teacher);
        }
        return builder.student(student).teacher(teacher);
    }

    @Override
    public void close() {
        synchronized (backends) {
            backends.forEach(CompletionBackend::close);
            backends.clear();
        }
        server.close();
        failingServer.close();
    }
}
