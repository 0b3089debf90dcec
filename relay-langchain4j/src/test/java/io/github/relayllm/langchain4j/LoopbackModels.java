package io.github.relayllm.langchain4j;

import io.github.relayllm.langchain4j.internal.http.HttpCompletionClient;

import java.io.IOException;

/**
 * Answers of a working student and teacher for {@link FaultServer}, in the servers' shapes (DESIGN section 4), and
 * the faults a broken server shows instead. The student asks for one call, then finishes:
 * <pre>
 * student: "The answer is&lt;call&gt;5"   (stop string cut, as Ollama and llama-server do)
 * teacher: " forty-two"                  (finish_reason length)
 * student: " Done."                      (end of sequence)
 * </pre>
 */
final class LoopbackModels {

    static final String STUDENT_OPENING = "The answer is";
    static final String TEACHER_TEXT = " forty-two";
    static final String STUDENT_CLOSING = " Done.";
    /** The text a faulty server streams before it fails mid-stream. */
    static final String PARTIAL = " part";

    /** The two server shapes. */
    enum Kind { OLLAMA, OPENAI }

    private LoopbackModels() {
    }

    /** A student that asks for one call (its first turn, when its prompt ends the prompt format's opening). */
    static FaultServer.Handler student(Kind kind) {
        return (request, exchange) -> {
            boolean first = request.prompt().endsWith("\n");
            String text = first ? STUDENT_OPENING + "<call>5" : STUDENT_CLOSING;
            return kind == Kind.OLLAMA ? ollama(exchange, request.streaming(), text, first ? 6 : 3)
                    : openAi(exchange, request.streaming(), text, "stop", first ? 6 : 3);
        };
    }

    static FaultServer.Handler teacher() {
        return (request, exchange) -> openAi(exchange, request.streaming(), TEACHER_TEXT, "length", 5);
    }

    static boolean ollama(FaultServer.Exchange exchange, boolean stream, String text, int tokens) throws IOException {
        String last = "{\"model\":\"m\",\"response\":%s,\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":20,"
                + "\"eval_count\":" + tokens + "}";
        if (!stream) {
            return exchange.respond(200, "application/json", last.formatted(quote(text)));
        }
        return exchange.stream("application/x-ndjson",
                "{\"model\":\"m\",\"response\":" + quote(text) + ",\"done\":false}\n", last.formatted("\"\"") + "\n");
    }

    static boolean openAi(FaultServer.Exchange exchange, boolean stream, String text, String finishReason, int tokens)
            throws IOException {
        String usage = "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":" + tokens + ",\"total_tokens\":"
                + (20 + tokens) + "}";
        if (!stream) {
            return exchange.respond(200, "application/json", "{\"id\":\"cmpl-1\",\"object\":\"text_completion\","
                    + "\"choices\":[{\"index\":0,\"text\":" + quote(text) + ",\"finish_reason\":\"" + finishReason
                    + "\"}]," + usage + "}");
        }
        return exchange.stream("text/event-stream",
                "data: {\"choices\":[{\"index\":0,\"text\":" + quote(text) + ",\"finish_reason\":null}]}\n\n",
                "data: {\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"" + finishReason + "\"}]," + usage
                        + "}\n\n",
                "data: [DONE]\n\n");
    }

    static String quote(String text) {
        return HttpCompletionClient.JSON.getNodeFactory().textNode(text).toString();
    }

    /**
     * What a broken server does. {@link #status()} and {@link #message(Kind)} are what the error must name
     * (null: nothing to name besides the server).
     */
    enum Fault {
        REFUSED(null),
        SLOWER_THAN_TIMEOUT(null),
        HTTP_500("HTTP 500"),
        HTTP_503("HTTP 503"),
        HTTP_429_RETRY_AFTER("HTTP 429"),
        HTTP_401("HTTP 401"),
        NOT_JSON(null),
        TRUNCATED(null),
        RESET_MID_STREAM(null),
        ERROR_LINE_MID_STREAM(null),
        SSE_ERROR_EVENT_MID_STREAM(null),
        NO_TEXT(null);

        private final String status;

        Fault(String status) {
            this.status = status;
        }

        String status() {
            return status;
        }

        /** A part of the error message the user must see: the server's own words, or what went wrong. */
        String message(Kind kind) {
            return switch (this) {
                case REFUSED -> "connection refused";
                case SLOWER_THAN_TIMEOUT -> "did not answer within timeout";
                case HTTP_500 -> kind == Kind.OLLAMA ? "llama runner process has terminated" : "CUDA out of memory";
                case HTTP_503 -> kind == Kind.OLLAMA ? "server busy, please try again" : "Loading model";
                case HTTP_429_RETRY_AFTER -> "Rate limit reached";
                case HTTP_401 -> kind == Kind.OLLAMA ? "unauthorized" : "Invalid API Key";
                case NOT_JSON -> "<html><body>502 Bad Gateway";
                case TRUNCATED, RESET_MID_STREAM -> "the connection failed or closed before the answer was complete";
                case ERROR_LINE_MID_STREAM -> "unexpected EOF";
                case SSE_ERROR_EVENT_MID_STREAM -> kind == Kind.OLLAMA ? "unexpected EOF" : "slot unavailable";
                case NO_TEXT -> kind == Kind.OLLAMA ? "without the text of a completion" : "choices";
            };
        }

        /** The broken server's handler ({@link #REFUSED} has none: nothing listens). */
        FaultServer.Handler handler(Kind kind) {
            boolean ollama = kind == Kind.OLLAMA;
            return (request, exchange) -> {
                boolean stream = request.streaming();
                String json = "application/json";
                return switch (this) {
                    case REFUSED -> throw new IllegalStateException("nothing listens for REFUSED");
                    case SLOWER_THAN_TIMEOUT -> {
                        if (stream) { // the first piece comes, then nothing
                            exchange.startChunked(200, ollama ? "application/x-ndjson" : "text/event-stream");
                            exchange.chunk(piece(kind));
                        }
                        yield exchange.stall();
                    }
                    case HTTP_500 -> exchange.respond(500, json, ollama
                            ? "{\"error\":\"llama runner process has terminated: signal: killed\"}"
                            : "{\"error\":{\"message\":\"CUDA out of memory\",\"type\":\"server_error\",\"code\":500}}");
                    case HTTP_503 -> exchange.respond(503, json, ollama
                            ? "{\"error\":\"server busy, please try again. maximum pending requests exceeded\"}"
                            : "{\"error\":{\"code\":503,\"message\":\"Loading model\",\"type\":\"unavailable_error\"}}");
                    case HTTP_429_RETRY_AFTER -> exchange.respond(429, json,
                            "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\"}}",
                            "Retry-After: 1");
                    case HTTP_401 -> exchange.respond(401, json, ollama ? "{\"error\":\"unauthorized\"}"
                            : "{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"authentication_error\",\"code\":401}}");
                    case NOT_JSON -> exchange.respond(200, "text/html",
                            "<html><body>502 Bad Gateway</body></html>\n");
                    case TRUNCATED -> stream
                            ? truncatedStream(exchange, kind)
                            : exchange.truncated(200, json, ollama ? "{\"model\":\"m\",\"response\":\"The ans"
                                    : "{\"id\":\"cmpl-1\",\"choices\":[{\"index\":0,\"text\":\" for");
                    case RESET_MID_STREAM -> {
                        if (stream) {
                            exchange.startChunked(200, ollama ? "application/x-ndjson" : "text/event-stream");
                            exchange.chunk(piece(kind));
                        } else {
                            exchange.truncated(200, json, "{\"model\":\"m\",");
                        }
                        yield exchange.reset();
                    }
                    case ERROR_LINE_MID_STREAM -> {
                        String error = ollama ? "{\"error\":\"an error was encountered while running the model: "
                                + "unexpected EOF\"}" : "{\"error\":{\"message\":\"unexpected EOF\",\"type\":"
                                + "\"InternalServerError\",\"code\":500}}";
                        yield stream ? exchange.stream(ollama ? "application/x-ndjson" : "text/event-stream",
                                piece(kind), (ollama ? "" : "data: ") + error + (ollama ? "\n" : "\n\n"))
                                : exchange.respond(200, json, error);
                    }
                    case SSE_ERROR_EVENT_MID_STREAM -> {
                        if (ollama) {
                            yield ERROR_LINE_MID_STREAM.handler(kind).handle(request, exchange);
                        }
                        String error = "{\"code\":503,\"message\":\"slot unavailable\",\"type\":\"unavailable_error\"}";
                        yield stream ? exchange.stream("text/event-stream", piece(kind), "error: " + error + "\n\n")
                                : exchange.respond(200, json, "{\"error\":" + error + "}");
                    }
                    case NO_TEXT -> ollama
                            ? (stream ? exchange.stream("application/x-ndjson", "{\"model\":\"m\",\"done\":false}\n")
                            : exchange.respond(200, json, "{\"model\":\"m\",\"created_at\":\"2026-12-01T00:00:00Z\"}"))
                            : (stream ? exchange.stream("text/event-stream", "data: {\"id\":\"x\",\"choices\":[]}\n\n",
                            "data: [DONE]\n\n")
                            : exchange.respond(200, json, "{\"id\":\"cmpl-1\",\"object\":\"text_completion\","
                            + "\"choices\":[]}"));
                };
            };
        }

        private static String piece(Kind kind) {
            return kind == Kind.OLLAMA ? "{\"model\":\"m\",\"response\":\"" + PARTIAL + "\",\"done\":false}\n"
                    : "data: {\"choices\":[{\"index\":0,\"text\":\"" + PARTIAL + "\",\"finish_reason\":null}]}\n\n";
        }

        private static boolean truncatedStream(FaultServer.Exchange exchange, Kind kind) throws IOException {
            exchange.startChunked(200, kind == Kind.OLLAMA ? "application/x-ndjson" : "text/event-stream");
            exchange.chunk(piece(kind));
            exchange.chunk(kind == Kind.OLLAMA ? "{\"model\":\"m\",\"resp" : "data: {\"choices\":[{\"ind");
            return exchange.closeOutput();
        }
    }
}
