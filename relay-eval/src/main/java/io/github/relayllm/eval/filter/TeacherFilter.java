package io.github.relayllm.eval.filter;

import io.github.relayllm.eval.data.Problem;
import io.github.relayllm.eval.run.ResultRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The RelayLLM paper's teacher-based data filter: the teacher answers every problem {@code K} times, and a problem
 * is kept for training only when the teacher fails at most {@code maxFailures} of its {@code K} samples (the paper
 * drops problems the teacher fails in 5 or more of 10 samples: {@code K = 10}, {@code maxFailures = 4}).
 * <p>
 * A sample is graded when the results hold a record for it that did not fail ({@code error} set, finish reason
 * {@code ERROR}). A problem with fewer than {@code K} graded samples is {@link Status#INCOMPLETE}: neither kept nor
 * dropped, so that a half-finished or failing teacher run cannot quietly decide which problems are trained on.
 */
public final class TeacherFilter {

    private TeacherFilter() {
    }

    /** Why a problem is in or out. */
    public enum Status {
        /** All K samples graded, at most {@code maxFailures} wrong. */
        KEPT,
        /** All K samples graded, more than {@code maxFailures} wrong. */
        DROPPED,
        /** Fewer than K graded samples: some are absent from the results or failed. */
        INCOMPLETE
    }

    /**
     * One problem's teacher record.
     *
     * @param problem the dataset problem
     * @param passes  correct graded samples
     * @param graded  graded samples (present and not failed), 0..K
     * @param errored failed samples (a backend error, finish reason ERROR)
     * @param status  the verdict
     */
    public record Verdict(Problem problem, int passes, int graded, int errored, Status status) {

        /** Passes / K, the samples asked for (not the graded ones). */
        public double passRate(int samples) {
            return (double) passes / samples;
        }
    }

    /**
     * The verdicts of every problem, in dataset order.
     *
     * @param samples     K, the samples each problem must have
     * @param maxFailures the most wrong samples a kept problem may have
     */
    public record Outcome(int samples, int maxFailures, List<Verdict> verdicts) {

        public Outcome {
            verdicts = List.copyOf(verdicts);
        }

        public List<Verdict> kept() {
            return with(Status.KEPT);
        }

        public List<Verdict> dropped() {
            return with(Status.DROPPED);
        }

        public List<Verdict> incomplete() {
            return with(Status.INCOMPLETE);
        }

        /** Incomplete problems without a single record in the results. */
        public int withoutSamples() {
            return (int) verdicts.stream().filter(v -> v.status() == Status.INCOMPLETE && v.graded() == 0
                    && v.errored() == 0).count();
        }

        /** Incomplete problems with at least one failed sample. */
        public int withErroredSamples() {
            return (int) verdicts.stream().filter(v -> v.errored() > 0).count();
        }

        /** Incomplete problems with some samples absent and none failed. */
        public int withTooFewSamples() {
            return incomplete().size() - withoutSamples() - withErroredSamples();
        }

        /** Element p: complete (kept or dropped) problems with p correct samples of K. */
        public int[] passCounts() {
            int[] counts = new int[samples + 1];
            verdicts.stream().filter(v -> v.status() != Status.INCOMPLETE).forEach(v -> counts[v.passes()]++);
            return counts;
        }

        private List<Verdict> with(Status status) {
            return verdicts.stream().filter(v -> v.status() == status).toList();
        }
    }

    /**
     * The default threshold: keep a problem when the teacher fails fewer than half of its samples, i.e. at most
     * {@code (K - 1) / 2} (integer division): 4 of 10, 1 of 3, 0 of 1.
     */
    public static int defaultMaxFailures(int samples) {
        return (samples - 1) / 2;
    }

    /** Whether a results record is a failed sample rather than a graded one. */
    public static boolean errored(ResultRecord record) {
        return record.failed() || "ERROR".equals(record.finishReason());
    }

    /**
     * Judges each problem on the teacher's results.
     *
     * @param problems    the problems, in dataset order
     * @param results     the teacher's results, one record per (id, sample) (a rerun's record replacing the failed
     *                    one, as {@code ResultsFile.Contents.latest()} gives them); every id must be a problem's
     * @param samples     K, at least 1; every record's sample number must be in 0..K-1
     * @param maxFailures the most wrong samples of a kept problem, 0..K
     */
    public static Outcome apply(List<Problem> problems, Collection<ResultRecord> results, int samples,
                                int maxFailures) {
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be at least 1 (it is " + samples + ")");
        }
        if (maxFailures < 0 || maxFailures > samples) {
            throw new IllegalArgumentException("--max-failures must be between 0 and the samples per problem ("
                    + samples + "); it is " + maxFailures);
        }
        Map<String, Problem> byId = new HashMap<>();
        problems.forEach(problem -> byId.put(problem.id(), problem));
        Map<String, Map<Integer, ResultRecord>> recordsById = new HashMap<>();
        for (ResultRecord record : results) {
            Problem problem = byId.get(record.id());
            if (problem == null) {
                throw new IllegalArgumentException("the results have problem id '" + record.id()
                        + "', which is not among the " + problems.size() + " dataset problems: filter with the "
                        + "dataset (and --limit) the teacher run read");
            }
            if (record.sample() < 0 || record.sample() >= samples) {
                throw new IllegalArgumentException("the results have sample " + record.sample() + " of problem '"
                        + record.id() + "', outside 0.." + (samples - 1) + ": set --samples to the run's --samples");
            }
            if (record.reference() != null && !record.reference().equals(problem.reference())) {
                throw new IllegalArgumentException("the results grade problem '" + record.id() + "' against '"
                        + record.reference() + "' but the dataset's reference is '" + problem.reference()
                        + "': the teacher run read another dataset (or --answer-field)");
            }
            ResultRecord previous = recordsById.computeIfAbsent(record.id(), id -> new HashMap<>())
                    .put(record.sample(), record);
            if (previous != null) {
                throw new IllegalArgumentException("the results have sample " + record.sample() + " of problem '"
                        + record.id() + "' twice; pass each (id, sample) once (its latest record)");
            }
        }
        List<Verdict> verdicts = new ArrayList<>(problems.size());
        for (Problem problem : problems) {
            Collection<ResultRecord> records = recordsById.getOrDefault(problem.id(), Map.of()).values();
            int errored = (int) records.stream().filter(TeacherFilter::errored).count();
            int graded = records.size() - errored;
            int passes = (int) records.stream().filter(r -> !errored(r) && r.correct()).count();
            Status status = graded < samples ? Status.INCOMPLETE
                    : samples - passes <= maxFailures ? Status.KEPT : Status.DROPPED;
            verdicts.add(new Verdict(problem, passes, graded, errored, status));
        }
        return new Outcome(samples, maxFailures, verdicts);
    }
}
