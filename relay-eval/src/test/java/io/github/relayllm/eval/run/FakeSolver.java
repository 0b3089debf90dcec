package io.github.relayllm.eval.run;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/** A solver that answers from a function of (prompt, sample) and records its calls. */
class FakeSolver implements Solver {

    final List<String> calls = new CopyOnWriteArrayList<>();
    private final BiFunction<String, Integer, String> answer;

    FakeSolver(BiFunction<String, Integer, String> answer) {
        this.answer = answer;
    }

    /** Answers "#### N" where N is the number after "q" in the prompt "qN": always right for the test datasets. */
    static FakeSolver echo() {
        return new FakeSolver((prompt, sample) -> "#### " + prompt.substring(1));
    }

    @Override
    public Attempt solve(String prompt, int sample) {
        calls.add(prompt + "#" + sample);
        return new Attempt(answer.apply(prompt, sample), 10, 5, 20, 30, 1, 7, 3, "STUDENT_DONE");
    }

    @Override
    public String studentModel() {
        return "fake-student";
    }

    @Override
    public String teacherModel() {
        return "fake-teacher";
    }
}
