package io.github.relayllm.eval.run;

import io.github.relayllm.eval.data.Problem;

import java.util.ArrayList;
import java.util.List;

final class TestProblems {

    private TestProblems() {
    }

    /** Problems "q0".."q(n-1)" whose reference answer is their number. */
    static List<Problem> numbered(int n) {
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            problems.add(new Problem(String.valueOf(i), i, "q" + i, String.valueOf(i), "#### " + i));
        }
        return problems;
    }
}
