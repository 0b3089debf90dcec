package io.github.relayllm.langchain4j.internal;

import dev.langchain4j.data.message.AiMessage;
import io.github.relayllm.langchain4j.RelayRole;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With tools offered, the streamed text is exactly the final message's text (LangChain4j's streaming suites compare
 * the two), whatever the split: whitespace that the final message strips around tool calls is never streamed.
 */
class StreamingAnswerSplitterWithToolsTest {

    private static final String CALL = "<tool_call>\n{\"name\": \"f\", \"arguments\": {\"a\": 1}}\n</tool_call>";

    @ParameterizedTest
    @ValueSource(strings = {
            "Let me compute.\n" + CALL,
            "Let me compute.\n\n" + CALL + "\n",
            CALL + "\n" + CALL,
            CALL + "\n\n  " + CALL + " \n",
            CALL + "\nThe result is 1.\n",
            "First.\n" + CALL + "\nthen.\n" + CALL + "\n",
            "no call at all, trailing space stays ",
            "a <tool_ b <tool_call x  ",
            "broken: <tool_call>\n{\"name\": \"f\", \"arguments\": {\n</tool_call>  and on",
            "unclosed:  <tool_call>\n{\"name\": \"f\""})
    void should_stream_exactly_the_final_text(String answer) {
        AiMessage expected = AnswerParser.parse(answer, List.of());
        for (int seed = 0; seed < 200; seed++) {
            // given
            Random random = new Random(seed);
            StringBuilder text = new StringBuilder();
            StreamingAnswerSplitter<RelayRole> splitter = new StreamingAnswerSplitter<>(new StreamingAnswerSplitter.Sink<>() {
                @Override
                public void onThinking(RelayRole role, String piece) {
                    throw new AssertionError("no thinking in " + answer);
                }

                @Override
                public void onText(RelayRole role, String piece) {
                    assertThat(piece).isNotEmpty();
                    text.append(piece);
                }
            }, true);

            // when
            for (int at = 0; at < answer.length(); ) {
                int end = Math.min(answer.length(), at + 1 + random.nextInt(6));
                splitter.accept(at % 2 == 0 ? RelayRole.STUDENT : RelayRole.TEACHER, answer.substring(at, end));
                at = end;
            }
            splitter.finish();

            // then
            assertThat(text.toString()).as("seed " + seed).isEqualTo(expected.text() == null ? "" : expected.text());
        }
    }
}
