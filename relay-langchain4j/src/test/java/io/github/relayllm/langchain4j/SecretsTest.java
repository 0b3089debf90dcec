package io.github.relayllm.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.LoopbackModels.Kind;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.ollama.OllamaCompletionBackend;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every place an API key could leak, with servers that echo it back (as some do in "invalid key" errors): logs down to
 * DEBUG (slf4j to java.util.logging, captured), exception messages and causes, response metadata, and
 * {@code toString()} of every backend, model and builder. The key is given as {@code apiKey}, as an
 * {@code Authorization} custom header (Ollama behind a proxy) and in a base URL's user info.
 */
@Timeout(30)
class SecretsTest {

    private static final String KEY = "sk-relay-7f3a9c1e5b2d";
    private static final Logger RELAY_LOGS = Logger.getLogger("io.github.relayllm");

    private final List<LogRecord> logs = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logs) {
                logs.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previousLevel;

    @BeforeEach
    void capture_every_log_record() {
        previousLevel = RELAY_LOGS.getLevel();
        RELAY_LOGS.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        RELAY_LOGS.addHandler(capture);
    }

    @AfterEach
    void close() throws Exception {
        RELAY_LOGS.removeHandler(capture);
        RELAY_LOGS.setLevel(previousLevel);
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void should_keep_the_key_out_of_logs_errors_metadata_and_to_string() {
        // given: a teacher that echoes the key it got in every error, and a student behind a proxy that does too
        FaultServer teacherServer = server(SecretsTest::echoingErrors);
        FaultServer studentServer = server(LoopbackModels.student(Kind.OLLAMA));
        OpenAiCompletionBackend.Builder teacherBuilder = OpenAiCompletionBackend.builder()
                .baseUrl(teacherServer.url() + "/v1").modelName("teacher").apiKey(KEY)
                .timeout(Duration.ofSeconds(5)).maxRetries(1).logRequestsAndResponses(true);
        OllamaCompletionBackend.Builder studentBuilder = OllamaCompletionBackend.builder()
                .baseUrl(studentServer.url()).modelName("student").customHeaders(Map.of("Authorization", "Bearer " + KEY))
                .logRequestsAndResponses(true);
        OpenAiCompletionBackend teacher = teacherBuilder.build();
        OllamaCompletionBackend student = studentBuilder.build();
        resources.add(0, teacher);
        resources.add(0, student);
        RelayChatLanguageModel.Builder continuing = RelayChatLanguageModel.builder().student(student).teacher(teacher);
        RelayChatLanguageModel.Builder failing = RelayChatLanguageModel.builder().student(student).teacher(teacher)
                .teacherFailurePolicy(TeacherFailurePolicy.FAIL);
        RelayStreamingChatLanguageModel.Builder streaming = RelayStreamingChatLanguageModel.builder().student(student)
                .teacher(teacher).teacherFailurePolicy(TeacherFailurePolicy.FAIL);
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("6 * 7?")).build();
        List<String> seen = new ArrayList<>();

        // when: the teacher answers 503 (retried, logged), then 401 (not retried), then an error mid-stream
        RelayChatLanguageModel continuingModel = continuing.build();
        ChatResponse response = continuingModel.chat(request);
        Throwable blockingError = catchThrowable(() -> failing.build().chat(request));
        RecordingStreamingHandler handler = new RecordingStreamingHandler();
        RelayStreamingChatLanguageModel streamingModel = streaming.build();
        streamingModel.chat(request, handler);
        handler.await();

        // then
        assertThat(((RelayResponseMetadata) response.metadata()).failedRounds()).as("the teacher failed").isOne();
        assertThat(blockingError).isInstanceOf(RelayBackendException.class).hasMessageContaining("***");
        assertThat(handler.errors).hasSize(1);
        seen.add(response.toString());
        seen.add(response.metadata().toString());
        seen.add(response.aiMessage().toString());
        addChain(seen, blockingError);
        addChain(seen, handler.errors.get(0));
        for (Object object : List.of(teacher, student, teacherBuilder, studentBuilder, continuingModel,
                streamingModel, continuing, failing, streaming)) {
            seen.add(object.toString());
        }
        List<String> logged = logged();
        assertThat(logged).as("the capture works: request logs and the retry's warning")
                .anyMatch(line -> line.contains("request: POST"))
                .anyMatch(line -> line.contains("retry 1 of 1"))
                .anyMatch(line -> line.contains("CONTINUE_WITH_STUDENT"));
        seen.addAll(logged);
        assertThat(teacherServer.requests()).allMatch(r -> ("Bearer " + KEY).equals(r.headers().get("authorization")));
        assertThat(seen).isNotEmpty().allSatisfy(text -> assertThat(text).doesNotContain(KEY));
    }

    @Test
    void should_keep_a_key_in_the_base_url_out_of_errors_and_to_string() {
        // given
        String url = FaultServer.refusedUrl().replace("http://", "http://relay:" + KEY + "@");
        OpenAiCompletionBackend.Builder openAiBuilder = OpenAiCompletionBackend.builder().baseUrl(url + "/v1")
                .modelName("teacher").maxRetries(0);
        OllamaCompletionBackend.Builder ollamaBuilder = OllamaCompletionBackend.builder().baseUrl(url)
                .modelName("student").maxRetries(0);
        OpenAiCompletionBackend openAi = openAiBuilder.build();
        OllamaCompletionBackend ollama = ollamaBuilder.build();
        resources.add(openAi);
        resources.add(ollama);
        CompletionRequest request = CompletionRequest.builder().prompt("6 * 7 =").maxTokens(4).build();
        List<String> seen = new ArrayList<>();

        // when
        addChain(seen, catchThrowable(() -> openAi.complete(request)));
        addChain(seen, catchThrowable(() -> ollama.completeStreaming(request, text -> {
        })));
        addChain(seen, catchThrowable(() -> RelayChatLanguageModel.builder().student(ollama).teacher(openAi).build()
                .chat(ChatRequest.builder().messages(UserMessage.from("6 * 7?")).build())));

        // then
        seen.addAll(List.of(openAi.toString(), ollama.toString(), openAi.baseUrl().replace(KEY, "(key)"),
                openAiBuilder.toString(), ollamaBuilder.toString()));
        seen.addAll(logged());
        assertThat(seen).anyMatch(text -> text.contains("connection refused"));
        assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(KEY));
    }

    /** 503 with the key in its message the first time, 401 the second, an error line mid-stream when streaming. */
    private static boolean echoingErrors(FaultServer.Request request, FaultServer.Exchange exchange)
            throws java.io.IOException {
        String echoed = request.headers().getOrDefault("authorization", "(none)");
        String error = "{\"error\":{\"message\":\"Incorrect API key provided: " + echoed + "\",\"type\":"
                + "\"invalid_request_error\",\"code\":\"invalid_api_key\"}}";
        if (request.streaming()) {
            return exchange.stream("text/event-stream", "data: {\"choices\":[{\"index\":0,\"text\":\" 4\"}]}\n\n",
                    "data: " + error + "\n\n");
        }
        return SECOND.getAndIncrement() % 2 == 0 ? exchange.respond(503, "application/json", error, "Retry-After: 0")
                : exchange.respond(401, "application/json", error);
    }

    private static final java.util.concurrent.atomic.AtomicInteger SECOND = new java.util.concurrent.atomic.AtomicInteger();

    private FaultServer server(FaultServer.Handler handler) {
        FaultServer server = new FaultServer(handler);
        resources.add(server);
        return server;
    }

    /** Message and toString of an exception and all its causes, and their stack frames' text. */
    private static void addChain(List<String> seen, Throwable error) {
        assertThat(error).isNotNull();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            seen.add(String.valueOf(cause.getMessage()));
            seen.add(cause.toString());
        }
    }

    /** Every captured record as the user would see it: formatted message, parameters and thrown exception. */
    private List<String> logged() {
        List<String> lines = new ArrayList<>();
        synchronized (logs) {
            for (LogRecord record : logs) {
                StringBuilder line = new StringBuilder(new java.util.logging.SimpleFormatter().formatMessage(record));
                if (record.getParameters() != null) {
                    for (Object parameter : record.getParameters()) {
                        line.append(' ').append(parameter);
                    }
                }
                for (Throwable thrown = record.getThrown(); thrown != null; thrown = thrown.getCause()) {
                    line.append(' ').append(thrown);
                }
                lines.add(line.toString());
            }
        }
        return lines;
    }
}
