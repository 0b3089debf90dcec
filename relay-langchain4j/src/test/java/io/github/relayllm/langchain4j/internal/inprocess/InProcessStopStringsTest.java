package io.github.relayllm.langchain4j.internal.inprocess;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InProcessStopStringsTest {

    /** Feeds pieces as the engine streams them; returns the match and the text cut after it. */
    private static Object[] feed(InProcessStopStrings stopStrings, String... pieces) {
        StringBuilder text = new StringBuilder();
        for (String piece : pieces) {
            int checked = text.length();
            text.append(piece);
            InProcessStopStrings.Match match = stopStrings.find(text, checked);
            if (match != null) {
                text.setLength(match.end());
                return new Object[] {match.stopString(), text.toString()};
            }
        }
        return new Object[] {null, text.toString()};
    }

    @Test
    void should_find_a_stop_string_written_in_one_piece() {
        // given
        InProcessStopStrings stopStrings = new InProcessStopStrings(List.of("</call>"));

        // when
        Object[] result = feed(stopStrings, "<call>", "1", "2", "</call>", "more");

        // then
        assertThat(result).containsExactly("</call>", "<call>12</call>");
    }

    @Test
    void should_find_a_stop_string_spread_over_pieces_and_cut_what_follows_it() {
        // given
        InProcessStopStrings stopStrings = new InProcessStopStrings(List.of("####"));

        // when
        Object[] result = feed(stopStrings, "= 399\n#", "#", "##", "# 399");

        // then
        assertThat(result).containsExactly("####", "= 399\n####");
    }

    @Test
    void should_pick_the_stop_string_that_ends_first() {
        // given
        InProcessStopStrings stopStrings = new InProcessStopStrings(List.of("cdef", "de", "bcd"));

        // when
        Object[] result = feed(stopStrings, "ab", "cdefg");

        // then: "bcd" ends at 4, before "de" (5) and "cdef" (6)
        assertThat(result).containsExactly("bcd", "abcd");
    }

    @Test
    void should_prefer_the_longer_stop_string_when_two_end_together() {
        // given
        InProcessStopStrings stopStrings = new InProcessStopStrings(List.of("l>", "</call>"));

        // when
        Object[] result = feed(stopStrings, "x</cal", "l>");

        // then
        assertThat(result).containsExactly("</call>", "x</call>");
    }

    @Test
    void should_not_match_when_there_are_no_stop_strings() {
        // given
        InProcessStopStrings stopStrings = new InProcessStopStrings(List.of());

        // when
        Object[] result = feed(stopStrings, "<call>", "3", "</call>");

        // then
        assertThat(result).containsExactly(null, "<call>3</call>");
    }

    @Test
    void should_reject_an_empty_stop_string() {
        assertThatThrownBy(() -> new InProcessStopStrings(List.of("</call>", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stopStrings");
    }
}
