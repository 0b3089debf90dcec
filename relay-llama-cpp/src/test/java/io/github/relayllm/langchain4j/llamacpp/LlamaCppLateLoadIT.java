package io.github.relayllm.langchain4j.llamacpp;

import io.github.relayllm.langchain4j.TinyModelFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.github.relayllm.langchain4j.TinyModelFiles.STUDENT;
import static io.github.relayllm.langchain4j.TinyModelFiles.TEACHER;
import static io.github.relayllm.langchain4j.TinyModelFiles.greedy;
import static io.github.relayllm.langchain4j.TinyModelFiles.prompt;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * java-llama.cpp 4.2.0 gives wrong output for a model loaded after inference already ran in the JVM when its
 * prompt cache is reused. The backend turns the cache off for such late-loaded models; this checks their answers
 * against the same model loaded first in a fresh JVM (failsafe forks one per IT class).
 */
class LlamaCppLateLoadIT {

    private static LlamaCppCompletionBackend teacherLoadedFirst;
    private static LlamaCppCompletionBackend studentLoadedFirst;

    @BeforeAll
    static void loadBeforeAnyInference() {
        assertThat(LlamaCppEngine.inferenceStarted()).as("no inference before this class").isFalse();
        teacherLoadedFirst = LlamaCppCompletionBackend.builder().modelPath(TinyModelFiles.file(TEACHER)).build();
        studentLoadedFirst = LlamaCppCompletionBackend.builder().modelPath(TinyModelFiles.file(STUDENT)).build();
    }

    /** Relay-like rounds: the prompt grows by what the model wrote plus new text, so the cache would be reused. */
    private static List<String> rounds(LlamaCppCompletionBackend backend) {
        List<String> answers = new ArrayList<>();
        String prompt = prompt("Cara has 315 shells. She finds 27 more, then sells 90. How many shells does she have?");
        for (int round = 0; round < 5; round++) {
            String answer = backend.complete(greedy(prompt, 8).toBuilder().exactLength(true).build()).text();
            answers.add(answer);
            prompt = prompt + answer + "\n";
        }
        return answers;
    }

    @Test
    void should_answer_right_with_models_loaded_after_inference_ran() {
        // given: answers of models loaded before any inference (with their prompt cache)
        List<String> teacherReference = rounds(teacherLoadedFirst);
        List<String> studentReference = rounds(studentLoadedFirst);
        assertThat(LlamaCppEngine.inferenceStarted()).isTrue();

        // when: the same models load late
        try (LlamaCppCompletionBackend lateTeacher = LlamaCppCompletionBackend.builder().modelPath(TinyModelFiles.file(TEACHER)).build();
             LlamaCppCompletionBackend lateStudent = LlamaCppCompletionBackend.builder().modelPath(TinyModelFiles.file(STUDENT)).build()) {

            // then: without the prompt cache, and right
            assertThat(lateTeacher.promptCacheEnabled()).isFalse();
            assertThat(lateStudent.promptCacheEnabled()).isFalse();
            assertThat(rounds(lateTeacher)).isEqualTo(teacherReference);
            assertThat(rounds(lateStudent)).isEqualTo(studentReference);
            // and the early ones still answer the same
            assertThat(rounds(teacherLoadedFirst)).isEqualTo(teacherReference);
        }
    }
}
