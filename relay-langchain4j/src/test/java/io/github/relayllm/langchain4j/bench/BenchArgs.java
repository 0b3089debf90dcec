package io.github.relayllm.langchain4j.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;

/** What the HTTP benchmarks share: their {@code name=value} arguments and the one chat request they all send. */
final class BenchArgs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchArgs() {
    }

    static String textArg(String[] args, String name, String fallback) {
        for (String arg : args) {
            if (arg.startsWith(name + "=")) {
                return arg.substring(name.length() + 1);
            }
        }
        return fallback;
    }

    static int arg(String[] args, String name, int fallback) {
        String value = textArg(args, name, null);
        return value == null ? fallback : Integer.parseInt(value);
    }

    /** The request every benchmark sends: a system and a user message, as a chat app would. */
    static ChatRequest chatRequest() {
        return ChatRequest.builder().messages(
                SystemMessage.from("You are a careful math tutor. Solve the problem, show the working in short steps "
                        + "and end with a sentence that states the answer. Use plain text, no LaTeX."),
                UserMessage.from("A crate holds 17 rows of 23 apples. How many apples are in the crate?")).build();
    }

    /** {@code text} as the inside of a JSON string literal (for canned answers). */
    static String jsonText(String text) throws JsonProcessingException {
        String quoted = JSON.writeValueAsString(text);
        return quoted.substring(1, quoted.length() - 1);
    }
}
