package io.github.relayllm.eval.filter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FilteredRecordTest {

    @Test
    void should_append_the_teacher_fields_to_the_original_text() {
        // given: number spellings, escapes, nesting and key order Jackson would not write back as they are
        String line = "{\"question\": \"Caf\\u00e9 has 3.50 \\\"cups\\\"\", \"answer\": \"#### 7\", "
                + "\"weight\": 1.50, \"big\": 12345678901234567890, \"meta\": {\"z\": 1, \"a\": [1e3, null]}}  ";

        // when
        String filtered = FilteredRecord.line(line, 6, 10);

        // then
        assertThat(filtered).isEqualTo(line.strip().substring(0, line.strip().length() - 1)
                + ",\"teacher_passes\":6,\"teacher_samples\":10,\"teacher_pass_rate\":0.6}");
    }

    @Test
    void should_replace_teacher_fields_a_filtered_line_already_has() {
        // given
        String line = "{\"question\":\"q\",\"teacher_passes\":3,\"teacher_samples\":4,\"teacher_pass_rate\":0.75,\"answer\":\"#### 7\"}";

        // when
        String filtered = FilteredRecord.line(line, 10, 10);

        // then
        assertThat(filtered).isEqualTo("{\"question\":\"q\",\"teacher_passes\":10,\"teacher_samples\":10,"
                + "\"teacher_pass_rate\":1.0,\"answer\":\"#### 7\"}");
    }
}
