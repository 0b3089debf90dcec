package io.github.relayllm.eval.report;

import io.github.relayllm.eval.run.ResultRecord;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The aggregate numbers of one results file (one run). Means are per sample (one answer to one problem);
 * the teacher share is teacher tokens / all generated tokens, summed over the run.
 */
public record RunSummary(String label, String mode, String studentModel, String teacherModel, int problems,
                         int samples, int correct, int solvedProblems, int failed, long studentTokens,
                         long teacherTokens, long studentPromptTokens, long teacherPromptTokens, long rounds,
                         long latencyMs, long studentLatencyMs, long teacherLatencyMs, double totalCost)
        implements RandomRouter.Endpoint {

    public static RunSummary of(String label, Collection<ResultRecord> records, Prices prices) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("run " + label + " has no results");
        }
        ResultRecord first = records.iterator().next();
        Map<String, Boolean> solved = new HashMap<>();
        int correct = 0, failed = 0;
        long st = 0, tt = 0, sp = 0, tp = 0, rounds = 0, latency = 0, sl = 0, tl = 0;
        double cost = 0;
        for (ResultRecord r : records) {
            correct += r.correct() ? 1 : 0;
            failed += r.failed() ? 1 : 0;
            solved.merge(r.id(), r.correct(), Boolean::logicalOr);
            st += r.studentTokens();
            tt += r.teacherTokens();
            sp += r.studentPromptTokens();
            tp += r.teacherPromptTokens();
            rounds += r.rounds();
            latency += r.latencyMs();
            sl += r.studentLatencyMs();
            tl += r.teacherLatencyMs();
            cost += prices.cost(r);
        }
        int solvedProblems = (int) solved.values().stream().filter(Boolean::booleanValue).count();
        return new RunSummary(label, first.mode(), first.studentModel(), first.teacherModel(), solved.size(),
                records.size(), correct, solvedProblems, failed, st, tt, sp, tp, rounds, latency, sl, tl, cost);
    }

    /** Correct samples / samples. */
    public double accuracy() {
        return (double) correct / samples;
    }

    /** Problems with at least one correct sample / problems (pass@k with k = samples per problem). */
    public double passAtK() {
        return (double) solvedProblems / problems;
    }

    public int samplesPerProblem() {
        return Math.round((float) samples / problems);
    }

    /** Teacher generated tokens / all generated tokens. */
    public double teacherShare() {
        long all = studentTokens + teacherTokens;
        return all == 0 ? 0 : (double) teacherTokens / all;
    }

    public double meanGeneratedTokens() {
        return (double) (studentTokens + teacherTokens) / samples;
    }

    public double meanStudentTokens() {
        return (double) studentTokens / samples;
    }

    public double meanTeacherTokens() {
        return (double) teacherTokens / samples;
    }

    public double meanPromptTokens() {
        return (double) (studentPromptTokens + teacherPromptTokens) / samples;
    }

    public double meanRounds() {
        return (double) rounds / samples;
    }

    public double meanLatencyMs() {
        return (double) latencyMs / samples;
    }

    public double meanStudentLatencyMs() {
        return (double) studentLatencyMs / samples;
    }

    public double meanTeacherLatencyMs() {
        return (double) teacherLatencyMs / samples;
    }

    /** Cost per sample, in the unit of the {@link Prices} used. */
    public double meanCost() {
        return totalCost / samples;
    }
}
