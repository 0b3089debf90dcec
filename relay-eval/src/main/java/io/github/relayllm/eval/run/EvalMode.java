package io.github.relayllm.eval.run;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which setup answers the problems. */
public enum EvalMode {
    /** The student model alone (the plain student, no teacher). */
    STUDENT("student"),
    /** The teacher model alone ({@code CallPolicy.teacherOnly()}). */
    TEACHER("teacher"),
    /** The relay: the relay student drives and calls the teacher ({@code CallPolicy.command()} by default). */
    RELAY("relay"),
    /** The relay student with every call blocked ({@code CallPolicy.never()}). */
    TEACHER_FREE("teacher-free");

    private final String label;

    EvalMode(String label) {
        this.label = label;
    }

    /** The name used on the command line and in result files. */
    public String label() {
        return label;
    }

    public static EvalMode fromLabel(String label) {
        for (EvalMode mode : values()) {
            if (mode.label.equals(label.toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + label + "': use one of "
                + Arrays.stream(values()).map(EvalMode::label).collect(Collectors.joining(", ")));
    }
}
