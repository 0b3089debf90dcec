package io.github.relayllm.langchain4j;

import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;


/**
 * Answers in the exact shapes the servers send (DESIGN section 4): Ollama's {@code /api/generate} (JSON and NDJSON),
 * vLLM's and llama-server's {@code /v1/completions} (JSON and SSE). The texts are a student writing a command
 * ({@code <call>40} with {@code </call>} cut by the server) and a teacher finishing an answer.
 */
final class HttpRecordedAnswers {

    private HttpRecordedAnswers() {
    }

    // ---- Ollama /api/generate ------------------------------------------------------------------------------------

    static final String OLLAMA_STOPPED_ON_COMMAND = """
            {"model":"relayllm-1.7b","created_at":"2026-11-28T12:01:07.123456789Z",\
            "response":"We multiply 17 by 23.\\n<call>40","done":true,"done_reason":"stop",\
            "total_duration":412345678,"load_duration":12345678,"prompt_eval_count":57,\
            "prompt_eval_duration":35123456,"eval_count":16,"eval_duration":360123456}""";

    static final String OLLAMA_END_OF_SEQUENCE = """
            {"model":"relayllm-1.7b","created_at":"2026-11-28T12:01:08.223456789Z",\
            "response":"17 × 23 = 391. The answer is 391.","done":true,"done_reason":"stop",\
            "total_duration":212345678,"load_duration":2345678,"prompt_eval_count":80,\
            "prompt_eval_duration":15123456,"eval_count":14,"eval_duration":190123456}""";

    static final String OLLAMA_LENGTH = """
            {"model":"relayllm-1.7b","created_at":"2026-11-28T12:01:09.323456789Z",\
            "response":"We multiply 17 by 23. First 17 × 20","done":true,"done_reason":"length",\
            "total_duration":112345678,"load_duration":2345678,"prompt_eval_count":57,\
            "prompt_eval_duration":15123456,"eval_count":12,"eval_duration":90123456}""";

    /** NDJSON: one object a line, the last with {@code done:true} and the counts. */
    static final String OLLAMA_STREAM_STOPPED_ON_COMMAND = """
            {"model":"relayllm-1.7b","created_at":"2026-11-28T12:01:10.000000001Z","response":"We","done":false}
            {"model":"relayllm-1.7b","created_at":"2026-11-28T12:01:10.020000001Z","response":" multiply","done":false}
            {"model":"relayllm-1.7b","created_at":"2026-11-28T12:01:10.040000001Z","response":" 17 by 23.","done":false}
            {"model":"relayllm-1.7b","created_at":"2026-11-28T12:01:10.060000001Z","response":"\\n<call>","done":false}
            {"model":"relayllm-1.7b","created_at":"2026-11-28T12:01:10.080000001Z","response":"40","done":false}
            {"model":"relayllm-1.7b","created_at":"2026-11-28T12:01:10.100000001Z","response":"","done":true,\
            "done_reason":"stop","total_duration":112345678,"load_duration":1345678,"prompt_eval_count":57,\
            "prompt_eval_duration":5123456,"eval_count":16,"eval_duration":100123456}
            """;

    /** An error after some text: HTTP 200 and a last line {@code {"error":…}}. */
    static final String OLLAMA_STREAM_ERROR_MID_STREAM = """
            {"model":"relayllm-1.7b","created_at":"2026-11-28T12:01:11.000000001Z","response":"We","done":false}
            {"model":"relayllm-1.7b","created_at":"2026-11-28T12:01:11.020000001Z","response":" multiply","done":false}
            {"error":"an error was encountered while running the model: unexpected EOF"}
            """;

    /** Ollama 0.12.11+ with {@code logprobs:true, top_logprobs:2}. */
    static final String OLLAMA_WITH_LOGPROBS = """
            {"model":"relayllm-1.7b","created_at":"2026-11-28T12:01:12.123456789Z","response":"We multiply",\
            "done":true,"done_reason":"stop","total_duration":41234567,"load_duration":1234567,\
            "prompt_eval_count":57,"prompt_eval_duration":3512345,"eval_count":2,"eval_duration":36012345,\
            "logprobs":[{"token":"We","logprob":-0.0123,"bytes":[87,101],"top_logprobs":[\
            {"token":"We","logprob":-0.0123,"bytes":[87,101]},{"token":"To","logprob":-4.61,"bytes":[84,111]}]},\
            {"token":" multiply","logprob":-0.35,"bytes":[32,109,117,108,116,105,112,108,121],"top_logprobs":[\
            {"token":" multiply","logprob":-0.35},{"token":" compute","logprob":-1.4}]}]}""";

    static final String OLLAMA_STREAM_WITH_LOGPROBS = """
            {"model":"relayllm-1.7b","created_at":"2026-11-28T12:01:13.0Z","response":"We","done":false,\
            "logprobs":[{"token":"We","logprob":-0.0123,"bytes":[87,101],"top_logprobs":[]}]}
            {"model":"relayllm-1.7b","created_at":"2026-11-28T12:01:13.1Z","response":" multiply","done":false,\
            "logprobs":[{"token":" multiply","logprob":-0.35,"bytes":[32,109],"top_logprobs":[]}]}
            {"model":"relayllm-1.7b","created_at":"2026-11-28T12:01:13.2Z","response":"","done":true,\
            "done_reason":"length","prompt_eval_count":57,"eval_count":2}
            """;

    static final String OLLAMA_MODEL_NOT_FOUND = "{\"error\":\"model \\\"relayllm-9b\\\" not found, try pulling it first\"}";

    // ---- vLLM /v1/completions ---------------------------------------------------------------------------------------

    static final String VLLM_STOPPED_ON_COMMAND = """
            {"id":"cmpl-5f0c2b1e9a7d4c3b8e6f1a2d3c4b5a69","object":"text_completion","created":1795867267,\
            "model":"Qwen/Qwen3-8B","choices":[{"index":0,"text":"We multiply 17 by 23.\\n<call>40","logprobs":null,\
            "finish_reason":"stop","stop_reason":"</call>","prompt_logprobs":null}],"service_tier":null,\
            "system_fingerprint":null,"usage":{"prompt_tokens":64,"total_tokens":80,"completion_tokens":16,\
            "prompt_tokens_details":{"cached_tokens":48}},"kv_transfer_params":null}""";

    /** End-of-sequence: {@code stop_reason} is the stop token's id (Qwen's {@code <|im_end|>}). */
    static final String VLLM_END_OF_SEQUENCE_TOKEN = """
            {"id":"cmpl-6a1d3c2f0b8e4d5c9f7a2b3e4d5c6b70","object":"text_completion","created":1795867268,\
            "model":"Qwen/Qwen3-8B","choices":[{"index":0,"text":" 17 × 23 = 391. The answer is <call>","logprobs":null,\
            "finish_reason":"stop","stop_reason":151645,"prompt_logprobs":null}],"service_tier":null,\
            "system_fingerprint":null,"usage":{"prompt_tokens":70,"total_tokens":84,"completion_tokens":14,\
            "prompt_tokens_details":null},"kv_transfer_params":null}""";

    static final String VLLM_LENGTH_WITH_LOGPROBS = """
            {"id":"cmpl-7b2e4d3a1c9f5e6d0a8b3c4f5e6d7c81","object":"text_completion","created":1795867269,\
            "model":"Qwen/Qwen3-8B","choices":[{"index":0,"text":" 17 ×","logprobs":{"text_offset":[0,3],\
            "token_logprobs":[-0.0102,-0.5087],"tokens":[" 17"," ×"],"top_logprobs":[{" 17":-0.0102," 16":-4.7013},\
            {" ×":-0.5087," *":-1.0161}]},"finish_reason":"length","stop_reason":null,"prompt_logprobs":null}],\
            "service_tier":null,"system_fingerprint":null,"usage":{"prompt_tokens":64,"total_tokens":66,\
            "completion_tokens":2,"prompt_tokens_details":{"cached_tokens":64}},"kv_transfer_params":null}""";

    /** SSE: text chunks, the finish reason with {@code stop_reason}, then a separate usage chunk with no choices. */
    static final String VLLM_STREAM_STOPPED_ON_COMMAND = """
            data: {"id":"cmpl-8c3f","object":"text_completion","created":1795867270,"model":"Qwen/Qwen3-8B",\
            "choices":[{"index":0,"text":"We","logprobs":null,"finish_reason":null,"stop_reason":null}],"usage":null}

            data: {"id":"cmpl-8c3f","object":"text_completion","created":1795867270,"model":"Qwen/Qwen3-8B",\
            "choices":[{"index":0,"text":" multiply 17 by 23.","logprobs":null,"finish_reason":null,"stop_reason":null}],\
            "usage":null}

            data: {"id":"cmpl-8c3f","object":"text_completion","created":1795867270,"model":"Qwen/Qwen3-8B",\
            "choices":[{"index":0,"text":"\\n<call>40","logprobs":null,"finish_reason":null,"stop_reason":null}],\
            "usage":null}

            data: {"id":"cmpl-8c3f","object":"text_completion","created":1795867270,"model":"Qwen/Qwen3-8B",\
            "choices":[{"index":0,"text":"","logprobs":null,"finish_reason":"stop","stop_reason":"</call>"}],\
            "usage":null}

            data: {"id":"cmpl-8c3f","object":"text_completion","created":1795867270,"model":"Qwen/Qwen3-8B",\
            "choices":[],"usage":{"prompt_tokens":64,"total_tokens":80,"completion_tokens":16,\
            "prompt_tokens_details":{"cached_tokens":48}}}

            data: [DONE]

            """;

    static final String VLLM_STREAM_ERROR_MID_STREAM = """
            data: {"id":"cmpl-9d4a","object":"text_completion","created":1795867271,"model":"Qwen/Qwen3-8B",\
            "choices":[{"index":0,"text":"We","logprobs":null,"finish_reason":null,"stop_reason":null}],"usage":null}

            data: {"error":{"message":"The engine died unexpectedly","type":"InternalServerError","param":null,\
            "code":500}}

            data: [DONE]

            """;

    // ---- llama-server /v1/completions (llama.cpp de3ff81) -------------------------------------------------------

    static final String LLAMA_SERVER_STOPPED_ON_COMMAND = """
            {"choices":[{"text":"We multiply 17 by 23.\\n<call>40","index":0,"logprobs":null,"finish_reason":"stop"}],\
            "created":1795867272,"model":"student.gguf","system_fingerprint":"b1-de3ff81","object":"text_completion",\
            "usage":{"completion_tokens":19,"prompt_tokens":57,"total_tokens":76,\
            "prompt_tokens_details":{"cached_tokens":0}},"id":"chatcmpl-Xz8QmR2vK5tLwP9aN3bC7dE1fG4hJ6kM",\
            "timings":{"cache_n":0,"prompt_n":57,"prompt_ms":12.3,"prompt_per_token_ms":0.216,\
            "prompt_per_second":4634.1,"predicted_n":19,"predicted_ms":4.1,"predicted_per_token_ms":0.216,\
            "predicted_per_second":4634.1}}""";

    static final String LLAMA_SERVER_END_OF_SEQUENCE = """
            {"choices":[{"text":"17 × 23 = 391. The answer is 391.","index":0,"logprobs":null,"finish_reason":"stop"}],\
            "created":1795867273,"model":"student.gguf","system_fingerprint":"b1-de3ff81","object":"text_completion",\
            "usage":{"completion_tokens":14,"prompt_tokens":80,"total_tokens":94,\
            "prompt_tokens_details":{"cached_tokens":57}},"id":"chatcmpl-Yq1WeR3tY5uI7oP9aS2dF4gH6jK8lZ0x",\
            "timings":{"cache_n":57,"prompt_n":23,"prompt_ms":5.1,"prompt_per_token_ms":0.22,\
            "prompt_per_second":4509.8,"predicted_n":14,"predicted_ms":3.0,"predicted_per_token_ms":0.214,\
            "predicted_per_second":4666.7}}""";

    /**
     * SSE: text chunks, held-back text (a possible stop string) as empty chunks, then finish reason, usage and timings
     * on the last choice (no separate usage chunk), then [DONE]; chat-shaped logprobs ({@code logprobs: 1}).
     */
    static final String LLAMA_SERVER_STREAM_STOPPED_ON_COMMAND = """
            data: {"choices":[{"text":"We","index":0,"logprobs":{"content":[{"id":1203,"token":"We","bytes":[87,101],\
            "logprob":-0.0021,"top_logprobs":[{"id":1203,"token":"We","bytes":[87,101],"logprob":-0.0021}]}]},\
            "finish_reason":null}],"created":1795867274,"model":"student.gguf","system_fingerprint":"b1-de3ff81",\
            "object":"text_completion","id":"chatcmpl-Zr2"}

            data: {"choices":[{"text":" need 17 × 23.","index":0,"logprobs":{"content":[{"id":1843,"token":" need",\
            "bytes":[32,110,101,101,100],"logprob":-0.7,"top_logprobs":[]},{"id":17,"token":" 17 × 23.","bytes":[32],\
            "logprob":-0.05,"top_logprobs":[]}]},"finish_reason":null}],"created":1795867274,"model":"student.gguf",\
            "system_fingerprint":"b1-de3ff81","object":"text_completion","id":"chatcmpl-Zr2"}

            data: {"choices":[{"text":"\\n<call>30","index":0,"logprobs":{"content":[{"id":30,"token":"\\n<call>30",\
            "bytes":[10],"logprob":-1.25,"top_logprobs":[]}]},"finish_reason":null}],"created":1795867274,\
            "model":"student.gguf","system_fingerprint":"b1-de3ff81","object":"text_completion","id":"chatcmpl-Zr2"}

            data: {"choices":[{"text":"","index":0,"logprobs":null,"finish_reason":null}],"created":1795867274,\
            "model":"student.gguf","system_fingerprint":"b1-de3ff81","object":"text_completion","id":"chatcmpl-Zr2"}

            data: {"choices":[{"text":"","index":0,"logprobs":null,"finish_reason":null}],"created":1795867274,\
            "model":"student.gguf","system_fingerprint":"b1-de3ff81","object":"text_completion","id":"chatcmpl-Zr2"}

            data: {"choices":[{"text":"","index":0,"logprobs":null,"finish_reason":"stop"}],"created":1795867274,\
            "model":"student.gguf","system_fingerprint":"b1-de3ff81","object":"text_completion","id":"chatcmpl-Zr2",\
            "usage":{"completion_tokens":6,"prompt_tokens":57,"total_tokens":63,\
            "prompt_tokens_details":{"cached_tokens":56}},"timings":{"cache_n":56,"prompt_n":1,"prompt_ms":0.4,\
            "prompt_per_token_ms":0.4,"prompt_per_second":2500.0,"predicted_n":6,"predicted_ms":1.3,\
            "predicted_per_token_ms":0.216,"predicted_per_second":4615.4}}

            data: [DONE]

            """;

    // ---- helpers ------------------------------------------------------------------------------------------------

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    static MockResponse ndjson(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-ndjson").body(body).build();
    }

    static MockResponse sse(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(body).build();
    }

    /**
     * A body written in {@code parts}, flushed after each and {@code pauseMillis} apart: a server that generates
     * slowly, or stalls (one long pause).
     */
    static MockResponse paced(String contentType, long pauseMillis, String... parts) {
        long length = 0;
        for (String part : parts) {
            length += part.getBytes(StandardCharsets.UTF_8).length;
        }
        long contentLength = length;
        MockResponseBody body = new MockResponseBody() {
            @Override
            public long getContentLength() {
                return contentLength;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) {
                        try {
                            Thread.sleep(pauseMillis);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException("interrupted");
                        }
                    }
                    sink.writeUtf8(parts[i]);
                    sink.flush();
                }
            }
        };
        return new MockResponse.Builder().code(200).addHeader("Content-Type", contentType).body(body).build();
    }

    /** The lines of a body, each with its line break. */
    static String[] lines(String body) {
        return body.split("(?<=\n)");
    }
}
