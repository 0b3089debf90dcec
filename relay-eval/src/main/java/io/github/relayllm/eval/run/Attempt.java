package io.github.relayllm.eval.run;

/**
 * What a setup did for one problem: the answer text and its costs, before grading.
 *
 * @param output              the answer text (commands removed)
 * @param studentTokens       tokens the student generated
 * @param teacherTokens       tokens the teacher generated
 * @param studentPromptTokens prompt tokens the student read
 * @param teacherPromptTokens prompt tokens the teacher read
 * @param rounds              teacher calls
 * @param studentLatencyMs    time in the student's calls
 * @param teacherLatencyMs    time in the teacher's calls
 * @param finishReason        why the answer ended
 */
public record Attempt(String output, long studentTokens, long teacherTokens, long studentPromptTokens,
                      long teacherPromptTokens, int rounds, long studentLatencyMs, long teacherLatencyMs,
                      String finishReason) {

    /** Teacher tokens / all generated tokens; 0 when nothing was generated. */
    public double callRatio() {
        long all = studentTokens + teacherTokens;
        return all == 0 ? 0 : (double) teacherTokens / all;
    }
}
