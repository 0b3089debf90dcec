package io.github.relayllm.langchain4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CommandParserTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<call>20</call>|20",
            "<call>0</call>|0",
            "<call> 20 </call>|20",
            "<call>+5</call>|5",
            "<call>-3</call>|-3",
            "<call>007</call>|7",
            "<call>99999999999</call>|2147483647",
            "<call>-99999999999</call>|-2147483648",
    })
    void should_read_N_of_a_trailing_command(String text, int expected) {
        // when
        CommandParser.Command command = CommandParser.trailingCommand("The answer is " + text);

        // then
        assertThat(command).isNotNull();
        assertThat(command.markup()).isEqualTo(text);
        assertThat(command.tokens()).isEqualTo(expected);
    }

    @Test
    void should_allow_any_whitespace_around_N() {
        // when
        CommandParser.Command command = CommandParser.trailingCommand("x <call>\n 7\t</call>");

        // then
        assertThat(command.markup()).isEqualTo("<call>\n 7\t</call>");
        assertThat(command.tokens()).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<call></call>", "<call>x</call>", "<call> </call>", "<call>1 2</call>", "<call>1.5</call>",
            "<call>+</call>", "<call>-</call>", "<call>12a</call>", "<call>twenty</call>"})
    void should_read_a_command_without_valid_N(String text) {
        // when
        CommandParser.Command command = CommandParser.trailingCommand("so " + text);

        // then
        assertThat(command).isNotNull();
        assertThat(command.markup()).isEqualTo(text);
        assertThat(command.tokens()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"no command", "<call>5</call> and more", "stray </call>", "</call>", "<call>5",
            "<call>1</call></call>", ""})
    void should_find_no_trailing_command(String text) {
        assertThat(CommandParser.trailingCommand(text)).isNull();
    }

    @Test
    void should_take_the_last_open_tag_before_the_close() {
        // when
        CommandParser.Command command = CommandParser.trailingCommand("a <call>1</call> b <call>2</call>");

        // then
        assertThat(command.markup()).isEqualTo("<call>2</call>");
        assertThat(command.tokens()).isEqualTo(2);
    }

    @Test
    void should_take_the_innermost_command_when_an_open_tag_was_never_closed() {
        assertThat(CommandParser.trailingCommand("<call>x <call>3</call>").markup()).isEqualTo("<call>3</call>");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "plain text|plain text",
            "a <call>5</call>b|a b",
            "<call>5</call>|''",
            "a<call>1</call>b<call>x</call>c|abc",
            "stray </call> close|stray  close",
            "unclosed at the end <call>12|'unclosed at the end '",
            "a <call>5</call> b <call>|'a  b '",
            "partial <ca|partial <ca",
            "less < than|less < than",
            "<call >5</call >|<call >5</call >",
    })
    void should_strip_commands(String text, String expected) {
        assertThat(CommandParser.strip(text)).isEqualTo(expected);
    }

    @Test
    void should_treat_empty_body_as_no_number() {
        assertThat(CommandParser.parseTokens("")).isNull();
        assertThat(CommandParser.parseTokens("  ")).isNull();
        assertThat(CommandParser.parseTokens(" 42 ")).isEqualTo(42);
    }
}
