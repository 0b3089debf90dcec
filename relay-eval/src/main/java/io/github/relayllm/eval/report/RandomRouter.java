package io.github.relayllm.eval.report;

/**
 * The paper's query-level baseline: a router that sends each problem to the teacher with probability {@code q} and
 * to the student otherwise, independently. From a student-only run (accuracy {@code A_s}, generated tokens per
 * problem {@code G_s}, cost per problem {@code C_s}) and a teacher-only run ({@code A_t}, {@code G_t}, {@code C_t}):
 * <ul>
 *   <li>expected accuracy {@code A(q) = (1-q)·A_s + q·A_t}, expected cost {@code C(q) = (1-q)·C_s + q·C_t};</li>
 *   <li>teacher share (expected teacher tokens / expected generated tokens)
 *       {@code S(q) = q·G_t / ((1-q)·G_s + q·G_t)}.</li>
 * </ul>
 * Against a relay run with teacher share {@code s}, accuracy {@code A_r} and cost {@code C_r}:
 * <ul>
 *   <li>same-share router: {@code q₁} with {@code S(q₁) = s}, i.e. {@code q₁ = s·G_s / ((1-s)·G_t + s·G_s)};
 *       the relay's gain is {@code A_r - A(q₁)};</li>
 *   <li>equal-accuracy router: {@code q₂ = (A_r - A_s) / (A_t - A_s)}, defined when {@code A_s ≤ A_r ≤ A_t} and
 *       {@code A_t > A_s}; the relay's cost reduction is {@code 1 - C_r / C(q₂)}.</li>
 * </ul>
 */
public record RandomRouter(RandomRouter.Endpoint student, RandomRouter.Endpoint teacher) {

    /** What the router needs of the student-only and the teacher-only run: per-sample accuracy, cost and tokens. */
    public interface Endpoint {

        double accuracy();

        double meanCost();

        double meanGeneratedTokens();
    }

    public double accuracy(double q) {
        return (1 - q) * student.accuracy() + q * teacher.accuracy();
    }

    public double cost(double q) {
        return (1 - q) * student.meanCost() + q * teacher.meanCost();
    }

    public double teacherShare(double q) {
        double gs = student.meanGeneratedTokens();
        double gt = teacher.meanGeneratedTokens();
        double all = (1 - q) * gs + q * gt;
        return all == 0 ? 0 : q * gt / all;
    }

    /** The routing probability whose teacher share is {@code share}. */
    public double probabilityForShare(double share) {
        double gs = student.meanGeneratedTokens();
        double gt = teacher.meanGeneratedTokens();
        double denominator = (1 - share) * gt + share * gs;
        return denominator == 0 ? share : share * gs / denominator;
    }

    /** The routing probability whose expected accuracy is {@code accuracy}; NaN when no router reaches it. */
    public double probabilityForAccuracy(double accuracy) {
        double as = student.accuracy();
        double at = teacher.accuracy();
        if (at <= as) {
            return Double.NaN;
        }
        double q = (accuracy - as) / (at - as);
        if (q > 1 + 1e-12) {
            return Double.NaN;
        }
        return Math.max(0, Math.min(1, q));
    }
}
