package io.github.relayllm.eval.calibrate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Finds the confidence threshold whose teacher share is closest to a target, the way RouteLLM calibrates a router to
 * a share of strong-model calls: bisection over the threshold, since the share grows with a probability threshold
 * (more tokens count as unsure) and falls with an entropy threshold. Each probe is a full relay run over the
 * calibration problems, so the search stops as soon as a probe lands within the tolerance.
 */
public final class ThresholdSearch {

    /** One probe: a threshold and the teacher share it gave. */
    public record Probe(double threshold, double share) {
    }

    /** The probes in order and the best one (closest share). */
    public record Result(List<Probe> probes, Probe best) {
    }

    private ThresholdSearch() {
    }

    /**
     * @param target     teacher share to reach, in [0, 1]
     * @param low        smallest threshold to try
     * @param high       largest threshold to try
     * @param increasing whether the share grows with the threshold
     * @param probes     most probes (relay runs)
     * @param tolerance  stop when a probe's share is this close to the target
     * @param shareAt    runs the relay at a threshold and returns its teacher share
     */
    public static Result search(double target, double low, double high, boolean increasing, int probes,
                                double tolerance, DoubleFunction<Double> shareAt) {
        if (!(target >= 0 && target <= 1)) {
            throw new IllegalArgumentException("--target-share must be between 0 and 1 (it is " + target + ")");
        }
        if (probes < 1) {
            throw new IllegalArgumentException("--probes must be at least 1 (it is " + probes + ")");
        }
        List<Probe> done = new ArrayList<>();
        Probe best = null;
        double lo = low;
        double hi = high;
        for (int i = 0; i < probes; i++) {
            double threshold = (lo + hi) / 2;
            Probe probe = new Probe(threshold, shareAt.apply(threshold));
            done.add(probe);
            if (best == null || Math.abs(probe.share() - target) < Math.abs(best.share() - target)) {
                best = probe;
            }
            if (Math.abs(probe.share() - target) <= tolerance) {
                break;
            }
            boolean tooMuchTeacher = probe.share() > target;
            if (tooMuchTeacher == increasing) {
                hi = threshold;
            } else {
                lo = threshold;
            }
        }
        return new Result(List.copyOf(done), best);
    }
}
