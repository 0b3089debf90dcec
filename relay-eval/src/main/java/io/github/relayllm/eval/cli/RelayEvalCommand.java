package io.github.relayllm.eval.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code relay-eval}: run datasets through relay setups, grade answers, report the accuracy/cost trade-off.
 * <p>
 * Exits with {@link System#exit} because the in-process engine keeps a non-daemon native thread alive.
 */
@Command(name = "relay-eval", mixinStandardHelpOptions = true, version = "relay-eval 0.1.0",
        description = "Evaluates student, teacher, relay and teacher-free setups on math datasets.",
        subcommands = {RunCommand.class, GradeCommand.class, GradeGoldCommand.class, ReportCommand.class,
                CalibrateCommand.class, FilterCommand.class, SuiteCommand.class,
                CommandLine.HelpCommand.class})
public final class RelayEvalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: run, suite, calibrate, filter, grade, grade-gold, report");
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (0 ok, 1 failure, 2 bad usage). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with its error handling: bad input becomes a one-line message and exit code 1. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new RelayEvalCommand());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            Throwable cause = exception;
            if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException
                    || cause instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("relay-eval " + cmd.getCommandName() + ": " + cause.getMessage());
                return 1;
            }
            throw exception;
        });
        return commandLine;
    }
}
