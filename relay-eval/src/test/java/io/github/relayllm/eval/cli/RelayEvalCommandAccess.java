package io.github.relayllm.eval.cli;

/** Lets tests in other packages run the command line in process (without {@link System#exit}). */
public final class RelayEvalCommandAccess {

    private RelayEvalCommandAccess() {
    }

    public static int execute(String... args) {
        return RelayEvalCommand.execute(args);
    }
}
