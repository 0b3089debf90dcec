package io.github.relayllm.langchain4j;

import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RelayResponseMetadataTest {

    private static RelayResponseMetadata metadata() {
        return RelayResponseMetadata.builder()
                .id("r1").modelName("relay").tokenUsage(new TokenUsage(100, 40)).finishReason(FinishReason.STOP)
                .studentTokens(30).teacherTokens(10)
                .studentPromptTokens(70).teacherPromptTokens(30)
                .studentCachedPromptTokens(50).teacherCachedPromptTokens(null)
                .rounds(2).failedRounds(1)
                .segments(List.of(new RelaySegment(RelayRole.STUDENT, "a", 30), new RelaySegment(RelayRole.TEACHER, "b", 10)))
                .studentLatency(Duration.ofMillis(20)).teacherLatency(Duration.ofMillis(80))
                .relayFinishReason(RelayFinishReason.STUDENT_DONE)
                .build();
    }

    @Test
    void should_compute_the_call_ratio() {
        assertThat(metadata().callRatio()).isEqualTo(0.25);
        assertThat(RelayResponseMetadata.builder().build().callRatio()).isZero();
    }

    @Test
    void should_round_trip_through_toBuilder_with_equals_and_hashCode() {
        // given
        RelayResponseMetadata metadata = metadata();

        // when
        RelayResponseMetadata copy = metadata.toBuilder().build();

        // then
        assertThat(copy).isEqualTo(metadata).hasSameHashCodeAs(metadata);
        assertThat(copy.id()).isEqualTo("r1");
        assertThat(copy.tokenUsage()).isEqualTo(new TokenUsage(100, 40));
        assertThat(copy.segments()).hasSize(2);
        assertThat(metadata.toBuilder().rounds(3).build()).isNotEqualTo(metadata);
        assertThat(metadata.toBuilder().modelName("other").build()).isNotEqualTo(metadata);
    }

    @Test
    void should_default_latencies_and_segments_and_describe_itself() {
        // when
        RelayResponseMetadata empty = RelayResponseMetadata.builder().build();

        // then
        assertThat(empty.segments()).isEmpty();
        assertThat(empty.studentLatency()).isZero();
        assertThat(empty.teacherCachedPromptTokens()).isNull();
        assertThat(metadata().toString()).contains("rounds=2", "callRatio=0.25", "relayFinishReason=STUDENT_DONE");
    }
}
