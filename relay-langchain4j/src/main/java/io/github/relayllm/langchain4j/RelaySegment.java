package io.github.relayllm.langchain4j;

import static io.github.relayllm.langchain4j.internal.Checks.ensureAtLeast;
import static io.github.relayllm.langchain4j.internal.Checks.ensureNotNull;

/**
 * A span of the answer written by one model, commands removed. Adjacent spans of the same model are merged.
 *
 * @param role   who wrote it
 * @param text   the span as the user sees it (before thinking and tool calls are split off)
 * @param tokens tokens the model generated for the span as its backend counted them; the student's count includes
 *               the tokens of the commands it wrote inside the span, and a completion that wrote nothing but a
 *               command adds its tokens to no segment
 */
public record RelaySegment(RelayRole role, String text, int tokens) {

    public RelaySegment {
        ensureNotNull(role, "role");
        ensureNotNull(text, "text");
        ensureAtLeast(tokens, 0, "tokens");
    }
}
