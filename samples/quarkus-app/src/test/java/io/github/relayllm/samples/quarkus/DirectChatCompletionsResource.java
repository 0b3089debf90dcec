package io.github.relayllm.samples.quarkus;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.relayllm.samples.quarkus.ChatCompletionsResource.Choice;
import io.github.relayllm.samples.quarkus.ChatCompletionsResource.Completion;
import io.github.relayllm.samples.quarkus.ChatCompletionsResource.CompletionRequest;
import io.github.relayllm.samples.quarkus.ChatCompletionsResource.Message;
import io.github.relayllm.samples.quarkus.ChatCompletionsResource.Usage;

/**
 * The load benchmark's baseline inside the same Quarkus app (test sources only): the OpenAI-compatible answer of
 * {@link ChatCompletionsResource}, plain and streaming, made of the relay's three model calls (student, teacher,
 * student) sent directly with a bare {@link HttpClient}, with no relay in between. The same JSON is parsed and
 * written (Jackson), the same SSE events are sent; what it leaves out is the relay: the prompt's rendering, the
 * command's parsing, the backends, the listeners. So the relay endpoint's throughput over this one is what the relay
 * costs inside a Quarkus endpoint, where the ratio against bare calls also counts the endpoint's own HTTP exchange.
 */
@Path("/bench/direct/v1/chat/completions")
public class DirectChatCompletionsResource {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Runnable::run).build();

    // defaults: the test profiles without loopback servers (the embedded pair) never call this resource
    @ConfigProperty(name = "quarkus.langchain4j.relay.student.base-url", defaultValue = "http://127.0.0.1:9")
    String studentUrl;

    @ConfigProperty(name = "quarkus.langchain4j.relay.teacher.base-url", defaultValue = "http://127.0.0.1:9/v1")
    String teacherUrl;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response complete(CompletionRequest request) throws IOException, InterruptedException {
        String prompt = "<|im_start|>user\n" + request.messages().get(0).content().asText()
                + "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n";
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String id = "chatcmpl-" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        long created = Instant.now().getEpochSecond();
        if (Boolean.TRUE.equals(request.stream())) {
            return Response.ok(stream(prompt, id, created), MediaType.SERVER_SENT_EVENTS).build();
        }
        String step = parse(post(studentUrl + "/api/generate", student(prompt, false))).path("response").asText();
        String span = parse(post(teacherUrl + "/completions", teacher(prompt + step.replace(" <call>8", ""), false)))
                .path("choices").path(0).path("text").asText();
        String end = parse(post(studentUrl + "/api/generate", student(prompt + step + "</call>" + span, false)))
                .path("response").asText();
        String text = step.replace(" <call>8", "") + span + end;
        return Response.ok(new Completion(id, "chat.completion", created, "direct",
                List.of(new Choice(0, new Message("assistant", text), null, "stop")), new Usage(60, 20, 80), null),
                MediaType.APPLICATION_JSON).build();
    }

    private StreamingOutput stream(String prompt, String id, long created) {
        return output -> {
            StringBuilder step = new StringBuilder();
            Consumer<String> send = piece -> write(output, new Completion(id, "chat.completion.chunk", created,
                    "direct", List.of(new Choice(0, null, new Message(null, piece), null)), null, null));
            lines(studentUrl + "/api/generate", student(prompt, true), line -> {
                String piece = parse(line).path("response").asText();
                step.append(piece);
                if (!piece.contains("<call>")) {
                    send.accept(piece);
                }
            });
            StringBuilder span = new StringBuilder();
            lines(teacherUrl + "/completions", teacher(prompt + step.toString().replace(" <call>8", ""), true),
                    line -> {
                        if (line.startsWith("data: {")) {
                            String piece = parse(line.substring(6)).path("choices").path(0).path("text").asText();
                            span.append(piece);
                            send.accept(piece);
                        }
                    });
            lines(studentUrl + "/api/generate", student(prompt + step + "</call>" + span, true),
                    line -> send.accept(parse(line).path("response").asText()));
            write(output, new Completion(id, "chat.completion.chunk", created, "direct",
                    List.of(new Choice(0, null, new Message(null, null), "stop")), new Usage(60, 20, 80), null));
            writeData(output, "[DONE]");
        };
    }

    static String student(String prompt, boolean stream) {
        return "{\"model\":\"" + LoopbackModelServers.STUDENT_MODEL + "\",\"prompt\":" + quote(prompt)
                + ",\"raw\":true,\"think\":false,\"stream\":" + stream
                + ",\"options\":{\"num_predict\":8192,\"stop\":[\"</call>\"]}}";
    }

    static String teacher(String prompt, boolean stream) {
        return "{\"model\":\"" + LoopbackModelServers.TEACHER_MODEL + "\",\"prompt\":" + quote(prompt)
                + ",\"max_tokens\":8,\"stream\":" + stream + "}";
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static HttpRequest request(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String post(String url, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request(url, body), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }

    private static void lines(String url, String body, Consumer<String> each) throws IOException {
        HttpResponse<Stream<String>> response;
        try {
            response = HTTP.send(request(url, body), HttpResponse.BodyHandlers.ofLines());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (Stream<String> lines = response.body()) {
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (!line.isBlank() && !line.equals("data: [DONE]")) {
                    each.accept(line);
                }
            }
        }
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(OutputStream output, Completion chunk) {
        try {
            writeData(output, json.writeValueAsString(chunk));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeData(OutputStream output, String data) throws IOException {
        output.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        output.flush();
    }
}
