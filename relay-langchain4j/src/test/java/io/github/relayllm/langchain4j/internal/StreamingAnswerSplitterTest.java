package io.github.relayllm.langchain4j.internal;

import dev.langchain4j.data.message.AiMessage;
import io.github.relayllm.langchain4j.RelayRole;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream's thinking and text agree with the final message ({@link AnswerParser}) whatever the split. */
class StreamingAnswerSplitterTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "#### 391",
            "  leading spaces stay",
            "<think>\nfirst 17 * 20 = 340\n</think>\n\n#### 391",
            "\n<think>  a b \n\n </think>  text < <t <thin <tool_ x",
            "<think>\nunclosed thinking that ran out of budget  ",
            "<thinking> is not a think tag",
            "a <tool_ b <tool_call x",
            "Let me compute.\n<tool_call>\n{\"name\": \"multiply\", \"arguments\": {\"a\": 1}}\n</tool_call>",
            "<tool_call>\n{\"name\": \"f\"}\n</tool_call>\n<tool_call>\n{\"name\": \"g\", \"arguments\": {}}\n</tool_call>",
            "broken: <tool_call>\n{\"name\": \"f\", \"arguments\": {\n</tool_call> and on",
            "unclosed: <tool_call>\n{\"name\": \"f\""})
    void should_split_like_the_final_message_whatever_the_pieces(String answer) {
        AiMessage expected = AnswerParser.parse(answer, List.of());
        for (int seed = 0; seed < 200; seed++) {
            // given
            Random random = new Random(seed);
            StringBuilder thinking = new StringBuilder();
            StringBuilder text = new StringBuilder();
            StringBuilder roles = new StringBuilder();
            StreamingAnswerSplitter<RelayRole> splitter = new StreamingAnswerSplitter<>(new StreamingAnswerSplitter.Sink<>() {
                @Override
                public void onThinking(RelayRole role, String piece) {
                    assertThat(piece).isNotEmpty();
                    thinking.append(piece);
                }

                @Override
                public void onText(RelayRole role, String piece) {
                    assertThat(piece).isNotEmpty().doesNotContain("<tool_call>\n{\"name\": \"multiply\"");
                    text.append(piece);
                    roles.append(role.name().charAt(0));
                }
            });

            // when
            for (int at = 0; at < answer.length(); ) {
                int end = Math.min(answer.length(), at + 1 + random.nextInt(6));
                splitter.accept(at % 2 == 0 ? RelayRole.STUDENT : RelayRole.TEACHER, answer.substring(at, end));
                at = end;
            }
            splitter.finish();

            // then
            String context = "seed " + seed;
            assertThat(thinking.toString()).as(context)
                    .isEqualTo(expected.thinking() == null ? "" : expected.thinking());
            if (expected.hasToolExecutionRequests()) {
                assertThat(text.toString().strip()).as(context)
                        .isEqualTo(expected.text() == null ? "" : expected.text());
            } else {
                assertThat(text.toString()).as(context).isEqualTo(expected.text());
            }
        }
    }
}
