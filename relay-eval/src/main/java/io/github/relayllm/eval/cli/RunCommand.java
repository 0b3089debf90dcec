package io.github.relayllm.eval.cli;

import io.github.relayllm.eval.data.Problem;
import io.github.relayllm.eval.run.EvalMode;
import io.github.relayllm.eval.run.EvalRunner;
import io.github.relayllm.eval.run.Progress;
import io.github.relayllm.eval.run.RelaySolver;
import io.github.relayllm.eval.run.ResultsFile;
import io.github.relayllm.langchain4j.CallPolicy;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.embedded.EmbeddedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a dataset through one setup and appends one graded result per problem and sample to a "
                + "JSONL file (flushed line by line). Run it again with the same --output to resume: samples already "
                + "there are skipped, failed ones are retried, a truncated last line is dropped.",
                "Modes: student (the student alone), teacher (the teacher alone), relay (the relay student calls the "
                        + "teacher; --call-policy), teacher-free (the relay student with calls blocked).",
                "Backends: ollama:URL:MODEL, openai:URL:MODEL (API key from $OPENAI_API_KEY), llama-cpp:PATH, "
                        + "embedded:NAME, java:PATH|NAME (pure-Java engine with token probabilities). Default: the "
                        + "embedded pair (student tiny-student.gguf, relay student "
                        + "tiny-relay-student.gguf, teacher tiny-teacher.gguf)."})
final class RunCommand implements Callable<Integer> {

    @Mixin
    DatasetOptions datasetOptions;

    @Option(names = "--mode", required = true, paramLabel = "MODE",
            description = "student, teacher, relay or teacher-free")
    String mode;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Results JSONL file (appended; resumed)")
    Path output;

    @Option(names = "--student", paramLabel = "BACKEND",
            description = "Student backend (default: embedded:tiny-student.gguf for mode student, "
                    + "embedded:tiny-relay-student.gguf for relay and teacher-free)")
    String student;

    @Option(names = "--teacher", paramLabel = "BACKEND", description = "Teacher backend (default: embedded:tiny-teacher.gguf)")
    String teacher;

    @Option(names = {"--call-policy", "--policy"}, defaultValue = "command", paramLabel = "POLICY",
            description = "Call policy of mode relay: command, never, teacher-only or confidence:<threshold>[:<span>] "
                    + "(the student must report token probabilities, e.g. --student java:tiny-student.gguf) "
                    + "(default: ${DEFAULT-VALUE})")
    String callPolicy;

    @Option(names = "--samples", defaultValue = "1", paramLabel = "K",
            description = "Samples per problem, for pass@k; sample s uses seed + s (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Sampling seed (default: ${DEFAULT-VALUE})")
    int seed;

    @Option(names = "--temperature", paramLabel = "T",
            description = "Sampling temperature (default: 0, greedy, when --samples is 1; 0.7 otherwise)")
    Double temperature;

    @Option(names = "--system", paramLabel = "TEXT", description = "System message (default: none)")
    String systemMessage;

    @Option(names = "--progress-interval", defaultValue = "10", paramLabel = "SECONDS",
            description = "Seconds between progress lines when not on a terminal (default: ${DEFAULT-VALUE})")
    int progressInterval;

    @Mixin
    LimitOption limitOption;

    @Mixin
    RelayOptions relayOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        EvalMode evalMode = EvalMode.fromLabel(mode);
        List<Problem> problems = limitOption.first(datasetOptions.load().problems());
        double t = temperature != null ? temperature : samples > 1 ? 0.7 : 0.0;
        PrintWriter out = spec.commandLine().getOut();
        if (samples > 1 && t == 0) {
            spec.commandLine().getErr().println("warning: --samples " + samples + " with --temperature 0 gives "
                    + "identical samples");
        }
        CallPolicy policy = evalMode == EvalMode.RELAY ? CallPolicy.fromName(callPolicy) : null;
        // every model is loaded before the first generation (the in-process engine needs that)
        CompletionBackend studentBackend = evalMode == EvalMode.TEACHER ? null
                : relayOptions.backend(student, "embedded:"
                        + (evalMode == EvalMode.STUDENT ? EmbeddedModels.STUDENT : EmbeddedModels.RELAY_STUDENT), "--student");
        CompletionBackend teacherBackend = evalMode == EvalMode.STUDENT || evalMode == EvalMode.TEACHER_FREE ? null
                : relayOptions.backend(teacher, "embedded:" + EmbeddedModels.TEACHER, "--teacher");
        RelaySolver.Settings settings = relayOptions.settings(t, seed, systemMessage);
        try (RelaySolver solver = new RelaySolver(evalMode, studentBackend, teacherBackend, policy, settings)) {
            out.printf(Locale.ROOT, "mode %s: student %s, teacher %s; %d problems x %d samples -> %s%n",
                    evalMode.label(), orNone(solver.studentModel()), orNone(solver.teacherModel()), problems.size(), samples, output);
            out.flush();
            Progress progress = new Progress(System.err, System.console() != null,
                    Duration.ofSeconds(Math.max(1, progressInterval)));
            EvalRunner runner = new EvalRunner(solver, evalMode, relayOptions.promptTemplate, samples,
                    relayOptions.concurrency, progress);
            EvalRunner.Outcome outcome = runner.run(problems, new ResultsFile(output));
            out.printf(Locale.ROOT, "done: %d run (%d correct, %d failed), %d already in %s%n", outcome.ran(),
                    outcome.correct(), outcome.failed(), outcome.skipped(), output);
            out.flush();
            return outcome.failed() > 0 ? 1 : 0;
        }
    }

    private static String orNone(String model) {
        return model == null ? "none" : model;
    }
}
