package io.github.relayllm.samples.quarkus;


import io.github.relayllm.langchain4j.RelayResponseMetadata;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

/**
 * An OpenAI-compatible {@code POST /v1/chat/completions} in front of the relay, so any OpenAI client can use it:
 * {@code "stream": true} answers with server-sent events ending in {@code data: [DONE]}. Each answer carries the
 * relay statistics in an extra {@code relay} field (the last chunk when streaming).
 */
@Path("/v1/chat/completions")
public class ChatCompletionsResource {

    /** The part of OpenAI's request the relay uses; other fields are ignored. */
    public record CompletionRequest(String model, List<RequestMessage> messages,
            @JsonProperty("max_tokens") Integer maxTokens,
            @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
            Double temperature, @JsonProperty("top_p") Double topP, Boolean stream) {
    }

    /** {@code content} is a string or an array of {@code {"type":"text","text":...}} parts. */
    public record RequestMessage(String role, JsonNode content) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Completion(String id, String object, long created, String model, List<Choice> choices, Usage usage,
            AskResource.Statistics relay) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Choice(int index, Message message, Message delta, @JsonProperty("finish_reason") String finishReason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(String role, String content) {
    }

    public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("completion_tokens") int completionTokens,
            @JsonProperty("total_tokens") int totalTokens) {
    }

    @Inject
    ChatModel model;

    @Inject
    StreamingChatModel streamingModel;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response complete(CompletionRequest request) {
        ChatRequest chatRequest = toChatRequest(request);
        // not UUID.randomUUID(): its SecureRandom is one lock that 64 concurrent requests were seen queueing on
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String id = "chatcmpl-" + new UUID(random.nextLong(), random.nextLong());
        long created = Instant.now().getEpochSecond();
        String modelName = request.model() == null ? "relay" : request.model();
        if (Boolean.TRUE.equals(request.stream())) {
            return Response.ok(stream(chatRequest, id, created, modelName), MediaType.SERVER_SENT_EVENTS).build();
        }
        ChatResponse response = model.chat(chatRequest);
        Completion completion = new Completion(id, "chat.completion", created, modelName,
                List.of(new Choice(0, new Message("assistant", response.aiMessage().text()), null,
                        finishReason(response.finishReason()))),
                usage(response.tokenUsage()), statistics(response));
        return Response.ok(completion, MediaType.APPLICATION_JSON).build();
    }

    private StreamingOutput stream(ChatRequest chatRequest, String id, long created, String modelName) {
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        streamingModel.chat(chatRequest, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                events.add(partialResponse);
            }

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                events.add(completeResponse);
            }

            @Override
            public void onError(Throwable error) {
                events.add(error);
            }
        });
        return output -> {
            boolean first = true;
            while (true) {
                Object event;
                try {
                    event = events.poll(10, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (event instanceof String piece) {
                    write(output, new Completion(id, "chat.completion.chunk", created, modelName, List.of(
                            new Choice(0, null, new Message(first ? "assistant" : null, piece), null)), null, null));
                    first = false;
                } else if (event instanceof ChatResponse response) {
                    write(output, new Completion(id, "chat.completion.chunk", created, modelName,
                            List.of(new Choice(0, null, new Message(null, null), finishReason(response.finishReason()))),
                            usage(response.tokenUsage()), statistics(response)));
                    break;
                } else {
                    Throwable error = (Throwable) event;
                    writeData(output, json.writeValueAsString(Map.of("error", Map.of("message",
                            String.valueOf(error.getMessage()), "type", "relay_error"))));
                    break;
                }
            }
            writeData(output, "[DONE]");
        };
    }

    private void write(OutputStream output, Completion chunk) throws IOException {
        writeData(output, json.writeValueAsString(chunk));
    }

    private static void writeData(OutputStream output, String data) throws IOException {
        output.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        output.flush();
    }

    private static ChatRequest toChatRequest(CompletionRequest request) {
        if (request == null || request.messages() == null || request.messages().isEmpty()) {
            throw new BadRequestException("messages must hold at least one message");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (RequestMessage message : request.messages()) {
            String text = text(message.content());
            switch (String.valueOf(message.role())) {
                case "system", "developer" -> messages.add(SystemMessage.from(text));
                case "user" -> messages.add(UserMessage.from(text));
                case "assistant" -> messages.add(AiMessage.from(text));
                default -> throw new BadRequestException("message role '" + message.role()
                        + "' is not supported: use system, user or assistant");
            }
        }
        ChatRequest.Builder builder = ChatRequest.builder().messages(messages)
                .temperature(request.temperature()).topP(request.topP());
        Integer maxTokens = request.maxCompletionTokens() != null ? request.maxCompletionTokens() : request.maxTokens();
        if (maxTokens != null) {
            builder.maxOutputTokens(maxTokens);
        }
        return builder.build();
    }

    private static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        content.forEach(part -> text.append(part.path("text").asText("")));
        return text.toString();
    }

    private static String finishReason(FinishReason reason) {
        return reason == FinishReason.LENGTH ? "length" : "stop";
    }

    private static Usage usage(TokenUsage usage) {
        if (usage == null) {
            return new Usage(0, 0, 0);
        }
        int prompt = usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        int completion = usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        return new Usage(prompt, completion, prompt + completion);
    }

    private static AskResource.Statistics statistics(ChatResponse response) {
        return response.metadata() instanceof RelayResponseMetadata relay ? AskResource.Statistics.of(relay) : null;
    }
}
