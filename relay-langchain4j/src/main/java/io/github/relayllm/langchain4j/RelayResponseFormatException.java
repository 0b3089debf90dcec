package io.github.relayllm.langchain4j;

import dev.langchain4j.exception.LangChain4jException;

/**
 * The relay's answer does not have the requested response format: a JSON response format ({@code ResponseFormat.JSON},
 * with or without a JSON schema) was asked for and the answer is not JSON, or does not match the schema. The
 * message says what is wrong; {@link #answer()} keeps the answer as the models wrote it (commands removed).
 */
public class RelayResponseFormatException extends LangChain4jException {

    private final String answer;

    public RelayResponseFormatException(String message, String answer) {
        super(message);
        this.answer = answer;
    }

    /** The answer text that did not match. */
    public String answer() {
        return answer;
    }
}
