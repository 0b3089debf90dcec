package io.github.relayllm.langchain4j.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import io.github.relayllm.langchain4j.backend.ContextLengthExceededException;

import java.util.Locale;

/**
 * Turns an HTTP error answer of a completion server into the LangChain4j exception users catch elsewhere.
 * <p>
 * The message names the backend ({@link io.github.relayllm.langchain4j.backend.CompletionBackend#name()} and base URL), the status and the server's own
 * message; the specific exception carries an {@link HttpException} with the status as its cause, as LangChain4j's
 * own clients do. Nothing here ever sees an API key: the caller scrubs the server's text first (a server may
 * echo a key back).
 */
public final class HttpErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SNIPPET_CHARS = 300;

    private HttpErrors() {
    }

    /** The exception for an HTTP error status; {@code serverMessage} is already extracted and scrubbed. */
    public static LangChain4jException forStatus(String backend, int status, String serverMessage) {
        String message = backend + " answered HTTP " + status + ": " + serverMessage;
        HttpException cause = new HttpException(status, message);
        if ((status == 400 || status == 413 || status == 422) && isContextOverflow(serverMessage)) {
            return new ContextLengthExceededException(message, cause);
        }
        if (status == 400 || status == 422) {
            return new InvalidRequestException(message, cause);
        }
        if (status == 401 || status == 403) {
            return new AuthenticationException(message, cause);
        }
        if (status == 404) {
            return new ModelNotFoundException(message, cause);
        }
        if (status == 408) {
            return new TimeoutException(message, cause);
        }
        if (status == 429) {
            return new RateLimitException(message, cause);
        }
        if (status >= 500 && status <= 599) {
            return new InternalServerException(message, cause);
        }
        return cause;
    }

    /**
     * Whether a server's error message says the prompt does not fit the context: llama-server's type
     * {@code exceed_context_size_error}, OpenAI's code {@code context_length_exceeded}, vLLM's "This model's maximum
     * context length is …", Ollama's "input length exceeds the context length".
     */
    public static boolean isContextOverflow(String serverMessage) {
        String text = serverMessage.toLowerCase(Locale.ROOT);
        return text.contains("exceed_context_size") || text.contains("context_length_exceeded")
                || text.contains("maximum context length") || text.contains("exceeds the context length");
    }

    /**
     * The human part of an error body in any of the shapes the servers use: Ollama's {@code {"error":"…"}},
     * the nested OpenAI/vLLM/llama-server {@code {"error":{"message","type","code"}}}, vLLM's flat
     * {@code {"object":"error","message",…}}, FastAPI's {@code {"detail":…}}; else a snippet of the raw body.
     */
    public static String serverMessage(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception notJson) {
            return snippet(body);
        }
        String message = serverMessage(root);
        return message != null ? message : snippet(body);
    }

    /** The error message of a parsed error object, or {@code null} when the node is not an error. */
    public static String serverMessage(JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode error = root.get("error");
        if (error != null && error.isTextual()) {
            return error.asText();
        }
        if (error != null && error.isObject()) {
            return describe(error);
        }
        if ("error".equals(root.path("object").asText(null))) {
            return describe(root);
        }
        JsonNode detail = root.get("detail");
        if (detail != null && !detail.isNull()) {
            return detail.isTextual() ? detail.asText() : detail.toString();
        }
        return null;
    }

    /** The HTTP-like status an error object names in its {@code code} field, else {@code fallback}. */
    public static int statusOf(JsonNode root, int fallback) {
        JsonNode error = root.path("error");
        JsonNode code = error.isObject() ? error.get("code") : root.get("code");
        if (code != null && code.canConvertToInt() && code.asInt() >= 400 && code.asInt() <= 599) {
            return code.asInt();
        }
        return fallback;
    }

    public static String describe(JsonNode error) {
        StringBuilder text = new StringBuilder(error.path("message").asText("(no message)"));
        String type = error.path("type").asText(null);
        JsonNode code = error.get("code");
        if (type != null || (code != null && !code.isNull())) {
            text.append(" (");
            if (type != null) {
                text.append("type ").append(type);
            }
            if (code != null && !code.isNull()) {
                text.append(type != null ? ", " : "").append("code ").append(code.asText());
            }
            text.append(')');
        }
        return text.toString();
    }

    /** The start of a body for a message: one line, at most a few hundred characters. */
    public static String snippet(String body) {
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return "'" + (oneLine.length() <= SNIPPET_CHARS ? oneLine : oneLine.substring(0, SNIPPET_CHARS) + "…") + "'";
    }
}
