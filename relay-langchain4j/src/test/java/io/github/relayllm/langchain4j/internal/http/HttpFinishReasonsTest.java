package io.github.relayllm.langchain4j.internal.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class HttpFinishReasonsTest {

    private static final String EOS = null;

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("We multiply.\n<call>40", "</call>"),
                Arguments.of("<call>", "</call>"),
                Arguments.of("x <call> 12 ", "</call>"),
                Arguments.of("x <call>\n12\n", "</call>"),
                Arguments.of("x <call>abc", "</call>"),
                Arguments.of("<call>5</call> then <call>7", "</call>"),
                Arguments.of("<call>5</call> then the end.", EOS),
                Arguments.of("The answer is 391.", EOS),
                Arguments.of("see <caller>", EOS),
                Arguments.of("a <calling 5", EOS),
                Arguments.of("", EOS));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void should_recognise_a_cut_closing_tag_by_its_unclosed_opening(String text, String expected) {
        assertThat(HttpFinishReasons.cutStopString(text, List.of("</call>"))).isEqualTo(expected);
    }

    static Stream<Arguments> stopStringLists() {
        return Stream.of(
                Arguments.of("<tool_call>\n{\"name\":\"f\"", List.of("</call>", "</tool_call>"), "</tool_call>"),
                Arguments.of("<call>3", List.of("<|im_end|>", "</call>"), "</call>"),
                Arguments.of("Answer: 391", List.of("\n\n", "<|im_end|>"), EOS),
                Arguments.of("<call>3", List.of(), EOS));
    }

    @ParameterizedTest
    @MethodSource("stopStringLists")
    void should_try_each_closing_tag_and_report_other_stop_strings_as_end_of_sequence(String text, List<String> stops,
                                                                                      String expected) {
        assertThat(HttpFinishReasons.cutStopString(text, stops)).isEqualTo(expected);
    }

    @Test
    void should_re_append_only_a_stop_string_the_server_cut() {
        assertThat(HttpFinishReasons.withStopString("<call>4", "</call>")).isEqualTo("<call>4</call>");
        assertThat(HttpFinishReasons.withStopString("<call>4</call>", "</call>")).isEqualTo("<call>4</call>");
    }
}
