package io.github.relayllm.langchain4j;

import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.internal.Checks;

import java.util.List;
import java.util.Locale;

/**
 * Decides when the teacher writes. Pick one with the factory methods; the kinds are fixed by this library
 * (the class cannot be extended elsewhere), and each is immutable and shared.
 * <p>
 * For maintainers: the relay loop ({@link RelayLoop}) asks the policy, through the package-private hooks below,
 * which backends it needs, what the student's requests carry and, after each student completion, which call the
 * student asked for. A new kind is one more nested class here (or, with options of its own,
 * a public final subclass in this package: {@link ConfidenceCallPolicy}).
 */
public abstract class CallPolicy {

    CallPolicy() {
    }

    /**
     * The paper's policy, the default: the trained student decides by writing {@code <call>N</call>}; the teacher
     * then writes the next N tokens. Needs both a student and a teacher.
     */
    public static CallPolicy command() {
        return CommandPolicy.INSTANCE;
    }

    /**
     * Teacher-free: the student writes the whole answer. Commands it writes are treated as {@code <call>0</call>}
     * (kept out of the answer, no teacher call). The teacher may be absent.
     */
    public static CallPolicy never() {
        return NeverPolicy.INSTANCE;
    }

    /**
     * The teacher writes the whole answer in one completion, with no stop strings, up to {@code maxTokens} (and
     * {@code maxTeacherTokens}); the student is not used and may be absent, except as the fallback when the teacher
     * fails under {@link TeacherFailurePolicy#CONTINUE_WITH_STUDENT}.
     */
    public static CallPolicy teacherOnly() {
        return TeacherOnlyPolicy.INSTANCE;
    }

    /**
     * The training-free relay for any off-the-shelf student: when the student's probability of a token it sampled
     * falls under {@code threshold}, the token is dropped and the teacher writes the next {@code spanTokens} tokens
     * (see {@link ConfidenceCallPolicy}). Needs a student backend that reports token probabilities.
     */
    public static ConfidenceCallPolicy confidence(double threshold, int spanTokens) {
        return ConfidenceCallPolicy.builder().threshold(threshold).spanTokens(spanTokens).build();
    }

    /** A builder for {@link ConfidenceCallPolicy} with all its options (criterion, gap between calls, ...). */
    public static ConfidenceCallPolicy.Builder confidence() {
        return ConfidenceCallPolicy.builder();
    }

    /**
     * The policy named {@code name}: {@code command}, {@code never} or {@code teacher-only} (case and {@code _}
     * versus {@code -} do not matter), or {@code confidence:<threshold>[:<spanTokens>][:entropy][:gap=<n>][:top=<k>]}
     * ({@link ConfidenceCallPolicy#name()}), e.g. from a configuration file.
     */
    public static CallPolicy fromName(String name) {
        Checks.ensureNotBlank(name, "callPolicy");
        if (name.strip().toLowerCase(Locale.ROOT).startsWith("confidence")) {
            return ConfidenceCallPolicy.parse(name.strip());
        }
        switch (name.strip().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "command":
                return command();
            case "never":
                return never();
            case "teacher-only":
            case "teacheronly":
                return teacherOnly();
            default:
                throw new IllegalArgumentException("callPolicy '" + name
                        + "' is unknown: use command, never, teacher-only or confidence:<threshold>");
        }
    }

    /** The name {@link #fromName(String)} reads. */
    public abstract String name();

    /** The factory call that gives this policy, e.g. {@code CallPolicy.teacherOnly()}. */
    @Override
    public abstract String toString();

    // ---- hooks for the relay loop (package-private) ----

    /** Whether a student backend must be set. */
    abstract boolean requiresStudent();

    /** Whether a teacher backend must be set. */
    abstract boolean requiresTeacher();

    /** Whether the teacher writes the whole answer (the student is not asked). */
    boolean teacherWritesAnswer() {
        return false;
    }

    /** Stop strings of every student request. */
    List<String> studentStopStrings() {
        return List.of(CommandParser.CLOSE);
    }

    /** {@link io.github.relayllm.langchain4j.backend.CompletionRequest#logprobs()} of every student request. */
    Integer studentLogprobs() {
        return null;
    }

    /** Checks that the backends can serve this policy, at build time; throws naming the setting to change. */
    void checkBackends(CompletionBackend student, CompletionBackend teacher, String modelType) {
    }

    /** A new per-request gate that sees each student token before it is kept, or null (the default) for none. */
    TokenGate newTokenGate() {
        return null;
    }

    /**
     * The call the student asked for with its latest completion, which the loop has already appended to
     * {@code transcript} (the student's whole transcript S of this request); {@code null} for no call.
     */
    abstract CallRequest callAfterStudent(Completion completion, CharSequence transcript, RelaySettings settings);

    /**
     * A call the student asked for.
     *
     * @param markup          the command's text at the end of the transcript (removed again if the teacher fails);
     *                        empty when the policy's calls leave no text
     * @param requestedTokens N as asked for, before the loop clamps it to {@code maxCallTokens} and the budgets
     */
    record CallRequest(String markup, int requestedTokens) {
    }

    private static final class CommandPolicy extends CallPolicy {

        static final CommandPolicy INSTANCE = new CommandPolicy();

        @Override
        public String toString() {
            return "CallPolicy.command()";
        }

        @Override
        public String name() {
            return "command";
        }

        @Override
        boolean requiresStudent() {
            return true;
        }

        @Override
        boolean requiresTeacher() {
            return true;
        }

        @Override
        CallRequest callAfterStudent(Completion completion, CharSequence transcript, RelaySettings settings) {
            if (completion.finishReason() != Completion.FinishReason.STOP
                    || !CommandParser.CLOSE.equals(completion.stopString())) {
                return null;
            }
            CommandParser.Command command = CommandParser.trailingCommand(transcript);
            if (command == null) {
                return null;
            }
            int tokens = command.tokens() != null ? command.tokens() : settings.defaultCallTokens();
            return new CallRequest(command.markup(), tokens);
        }
    }

    private static final class NeverPolicy extends CallPolicy {

        static final NeverPolicy INSTANCE = new NeverPolicy();

        @Override
        public String toString() {
            return "CallPolicy.never()";
        }

        @Override
        public String name() {
            return "never";
        }

        @Override
        boolean requiresStudent() {
            return true;
        }

        @Override
        boolean requiresTeacher() {
            return false;
        }

        @Override
        CallRequest callAfterStudent(Completion completion, CharSequence transcript, RelaySettings settings) {
            return null;
        }
    }

    private static final class TeacherOnlyPolicy extends CallPolicy {

        static final TeacherOnlyPolicy INSTANCE = new TeacherOnlyPolicy();

        @Override
        public String toString() {
            return "CallPolicy.teacherOnly()";
        }

        @Override
        public String name() {
            return "teacher-only";
        }

        @Override
        boolean requiresStudent() {
            return false;
        }

        @Override
        boolean requiresTeacher() {
            return true;
        }

        @Override
        boolean teacherWritesAnswer() {
            return true;
        }

        @Override
        CallRequest callAfterStudent(Completion completion, CharSequence transcript, RelaySettings settings) {
            return null; // the student only writes after a teacher failure, and calls are forbidden then
        }
    }
}
