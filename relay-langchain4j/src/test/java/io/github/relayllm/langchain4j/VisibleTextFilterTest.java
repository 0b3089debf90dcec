package io.github.relayllm.langchain4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VisibleTextFilterTest {

    private static final List<String> MARKERS = List.of("<|im_end|>", "<|endoftext|>");

    private static String whole(String text) {
        VisibleTextFilter filter = new VisibleTextFilter(MARKERS);
        return filter.accept(text) + filter.finish();
    }

    private static String inPieces(String text, int pieceLength) {
        VisibleTextFilter filter = new VisibleTextFilter(MARKERS);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i += pieceLength) {
            out.append(filter.accept(text.substring(i, Math.min(text.length(), i + pieceLength))));
        }
        return out.append(filter.finish()).toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Hello <call>20</call>world<call>x</call>!",
            "a</call>b<call>3</call><call>4</call>c",
            "text <|im_end|> after",
            "unclosed <call>5 at the end",
            "<<call>1</call><</call>call>",
            "partial <ca",
            "end marker prefix <|im_",
            "<call><call>2</call>",
    })
    void should_give_the_same_text_in_any_split(String text) {
        // given
        String expected = whole(text);

        // then
        for (int pieceLength = 1; pieceLength <= text.length(); pieceLength++) {
            assertThat(inPieces(text, pieceLength)).as("pieces of %d", pieceLength).isEqualTo(expected);
        }
    }

    @Test
    void should_remove_commands_and_stray_closes() {
        assertThat(whole("Hello <call>20</call>world</call>!")).isEqualTo("Hello world!");
    }

    @Test
    void should_drop_everything_from_an_end_marker() {
        // given
        VisibleTextFilter filter = new VisibleTextFilter(MARKERS);

        // when
        String out = filter.accept("done.<|im_end|>\n<|im_start|>user");

        // then
        assertThat(out).isEqualTo("done.");
        assertThat(filter.ended()).isTrue();
        assertThat(filter.accept("more")).isEmpty();
        assertThat(filter.finish()).isEmpty();
    }

    @Test
    void should_hold_back_what_may_become_a_command_until_decided() {
        // given
        VisibleTextFilter filter = new VisibleTextFilter(MARKERS);

        // then
        assertThat(filter.accept("abc <ca")).isEqualTo("abc ");
        assertThat(filter.accept("ll>12")).isEmpty();
        assertThat(filter.accept("</call> next")).isEqualTo(" next");
        assertThat(filter.accept(" <cat")).isEqualTo(" <cat");
    }

    @Test
    void should_drop_an_unclosed_command_at_the_end_and_keep_a_plain_prefix() {
        assertThat(whole("a <call>12")).isEqualTo("a ");
        assertThat(whole("a <cal")).isEqualTo("a <cal");
    }
}
