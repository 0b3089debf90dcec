package io.github.relayllm.eval.grading;

import io.github.relayllm.eval.data.Problem;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Checks the grader against a dataset's own gold solutions: every gold solution should grade correct against its
 * problem's reference, and gold solutions paired with other problems should grade wrong.
 * <p>
 * The shuffled pairing is a seeded random permutation in which no problem keeps its own solution and no problem
 * gets a solution whose reference answer has the same normalised text as its own (about 1% of random pairs in
 * GSM8K and MATH-500 have, e.g. two problems whose answer is 5: such a pair is correct, not a grader error); a
 * plain seeded permutation is measured too.
 */
public final class GoldCheck {

    /** One pairing of a gold solution with a problem's reference, and how it graded. */
    public record Pair(Problem problem, Problem solutionOf, String extracted, boolean correct) {
    }

    /**
     * @param gold           each problem's own solution graded against its reference
     * @param shuffled       the constrained shuffled pairing (should all be wrong)
     * @param plainShuffled  a plain seeded permutation (a few pairs share their answer)
     */
    public record Result(List<Pair> gold, List<Pair> shuffled, List<Pair> plainShuffled) {

        public long goldCorrect() {
            return gold.stream().filter(Pair::correct).count();
        }

        public long shuffledWrong() {
            return shuffled.stream().filter(pair -> !pair.correct()).count();
        }

        public long plainShuffledWrong() {
            return plainShuffled.stream().filter(pair -> !pair.correct()).count();
        }
    }

    private GoldCheck() {
    }

    public static Result run(List<Problem> problems, long seed) {
        List<Pair> gold = new ArrayList<>();
        for (Problem problem : problems) {
            gold.add(pair(problem, problem, true));
        }
        int[] plain = permutation(problems.size(), seed);
        int[] constrained = constrain(plain.clone(), problems, seed);
        return new Result(gold, pairs(problems, constrained), pairs(problems, plain));
    }

    private static List<Pair> pairs(List<Problem> problems, int[] permutation) {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < problems.size(); i++) {
            pairs.add(pair(problems.get(i), problems.get(permutation[i]), false));
        }
        return pairs;
    }

    /**
     * Grades {@code solutionOf}'s gold outputs against {@code problem}'s reference: its solution text, else its
     * reference written the usual ways ({@link GoldForms}). A problem's own pairing is correct when every form
     * grades correct; a shuffled pairing counts as correct (a grader error) when any form does.
     */
    private static Pair pair(Problem problem, Problem solutionOf, boolean own) {
        Pair first = null;
        for (String output : outputs(solutionOf)) {
            Grader.Grade grade = Grader.grade(output, problem.answer());
            Pair pair = new Pair(problem, solutionOf, grade.extracted().orElse(null), grade.correct());
            if (first == null) {
                first = pair;
            }
            if (grade.correct() != own) {
                return pair;
            }
        }
        return first;
    }

    /** The gold outputs of a problem: its solution text, else its reference written the usual ways. */
    public static List<String> outputs(Problem problem) {
        return problem.goldSolution() != null ? List.of(problem.goldSolution()) : GoldForms.of(problem.answer());
    }

    /**
     * Grades every reference against every other problem's reference (ordered pairs whose normalised texts
     * differ) and returns the pairs graded equal: a measure of how lenient the equivalence is beyond one shuffle.
     */
    public static List<Pair> equalReferencesOfDifferentText(List<Problem> problems, long[] comparedPairs) {
        List<Pair> equal = new ArrayList<>();
        String[] answers = problems.stream().map(p -> MathEquivalence.normalize(p.reference())).toArray(String[]::new);
        long compared = 0;
        for (int i = 0; i < problems.size(); i++) {
            for (int j = 0; j < problems.size(); j++) {
                if (i == j || answers[i].equals(answers[j])) {
                    continue;
                }
                compared++;
                if (MathEquivalence.equivalent(problems.get(j).reference(), problems.get(i).reference())) {
                    equal.add(new Pair(problems.get(i), problems.get(j), problems.get(j).reference(), true));
                }
            }
        }
        comparedPairs[0] = compared;
        return equal;
    }

    static int[] permutation(int n, long seed) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Swaps entries until no problem is paired with itself or with a problem of the same normalised answer. */
    private static int[] constrain(int[] permutation, List<Problem> problems, long seed) {
        int n = permutation.length;
        String[] answers = new String[n];
        for (int i = 0; i < n; i++) {
            answers[i] = MathEquivalence.normalize(problems.get(i).reference());
        }
        Random random = new Random(seed + 1);
        for (int i = 0; i < n; i++) {
            if (allowed(answers, i, permutation[i])) {
                continue;
            }
            for (int tries = 0; tries < 100 * n; tries++) {
                int j = random.nextInt(n);
                if (allowed(answers, i, permutation[j]) && allowed(answers, j, permutation[i])) {
                    int swap = permutation[i];
                    permutation[i] = permutation[j];
                    permutation[j] = swap;
                    break;
                }
            }
        }
        return permutation;
    }

    private static boolean allowed(String[] answers, int problem, int solution) {
        return problem != solution && !answers[problem].equals(answers[solution]);
    }
}
