package io.github.relayllm.eval.cli;

import io.github.relayllm.eval.calibrate.ThresholdSearch;
import io.github.relayllm.eval.data.Problem;
import io.github.relayllm.eval.run.EvalMode;
import io.github.relayllm.eval.run.EvalRunner;
import io.github.relayllm.eval.run.Progress;
import io.github.relayllm.eval.run.RelaySolver;
import io.github.relayllm.eval.run.ResultRecord;
import io.github.relayllm.eval.run.ResultsFile;
import io.github.relayllm.langchain4j.CallPolicy;
import io.github.relayllm.langchain4j.ConfidenceCallPolicy;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.embedded.EmbeddedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Finds the threshold of the training-free relay (call policy confidence) whose teacher share "
                + "(teacher tokens / all generated tokens) on the dataset is closest to --target-share: bisection "
                + "over the threshold, one relay run over the problems per probe. Each probe's graded results go to "
                + "--work-dir (calibrate-<threshold>.jsonl; a rerun resumes them). Prints the policy to pass to "
                + "run --mode relay --call-policy.",
                "Backends as for run; the student must report token probabilities (java:, ollama: 0.12.11+, "
                        + "openai: on vLLM or llama-server). Default: student java:tiny-student.gguf, teacher "
                        + "embedded:tiny-teacher.gguf."})
final class CalibrateCommand implements Callable<Integer> {

    @Mixin
    DatasetOptions datasetOptions;

    @Option(names = "--target-share", required = true, paramLabel = "S",
            description = "Teacher share to reach, a fraction (0.2) or a percentage (20%%)")
    String targetShare;

    @Option(names = "--student", paramLabel = "BACKEND",
            description = "Student backend (default: java:" + EmbeddedModels.STUDENT + ")")
    String student;

    @Option(names = "--teacher", paramLabel = "BACKEND",
            description = "Teacher backend (default: embedded:" + EmbeddedModels.TEACHER + ")")
    String teacher;

    @Option(names = "--span-tokens", defaultValue = "16", paramLabel = "N",
            description = "Teacher tokens per call (default: ${DEFAULT-VALUE})")
    int spanTokens;

    @Option(names = "--criterion", defaultValue = "probability", paramLabel = "C",
            description = "probability (threshold in [0, 1]) or entropy (threshold in nats) (default: ${DEFAULT-VALUE})")
    String criterion;

    @Option(names = "--min-gap", defaultValue = "0", paramLabel = "N",
            description = "Student tokens between a teacher span and the next call (default: ${DEFAULT-VALUE})")
    int minGap;

    @Option(names = "--probes", defaultValue = "8", paramLabel = "N",
            description = "Most relay runs (bisection steps) (default: ${DEFAULT-VALUE})")
    int probes;

    @Option(names = "--tolerance", defaultValue = "0.005", paramLabel = "D",
            description = "Stop when a probe's share is this close to the target (default: ${DEFAULT-VALUE})")
    double tolerance;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Folder for the probes' results files (default: a new temporary folder)")
    Path workDir;

    @Mixin
    LimitOption limitOption;

    @Mixin
    RelayOptions relayOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        double target = parseShare(targetShare);
        boolean entropy = switch (criterion.strip().toLowerCase(Locale.ROOT)) {
            case "probability" -> false;
            case "entropy" -> true;
            default -> throw new IllegalArgumentException("--criterion must be probability or entropy (it is "
                    + criterion + ")");
        };
        List<Problem> problems = limitOption.first(datasetOptions.load().problems());
        Path folder = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("relay-calibrate-");
        PrintWriter out = spec.commandLine().getOut();
        CompletionBackend studentBackend = relayOptions.backend(student, "java:" + EmbeddedModels.STUDENT, "--student");
        CompletionBackend teacherBackend = relayOptions.backend(teacher, "embedded:" + EmbeddedModels.TEACHER,
                "--teacher");
        RelaySolver.Settings settings = relayOptions.settings(0.0, 0, null);
        out.printf(Locale.ROOT, "calibrating %s to a teacher share of %.1f%% on %d problems of %s (student %s, "
                        + "teacher %s; probes in %s)%n", entropy ? "entropy" : "probability", 100 * target,
                problems.size(), datasetOptions.dataset, studentBackend.name(), teacherBackend.name(), folder);
        out.flush();
        try {
            ThresholdSearch.Result result = ThresholdSearch.search(target, 0, entropy ? 6 : 1, !entropy, probes,
                    tolerance, threshold -> {
                        ConfidenceCallPolicy policy = policy(threshold, entropy);
                        Path file = folder.resolve("calibrate-" + policy.name().replace(':', '_') + ".jsonl");
                        // the solver is not closed: it would close the backends that every probe shares
                        RelaySolver solver = new RelaySolver(EvalMode.RELAY, studentBackend, teacherBackend, policy,
                                settings);
                        new EvalRunner(solver, EvalMode.RELAY, relayOptions.promptTemplate, 1,
                                relayOptions.concurrency, Progress.silent())
                                .run(problems, new ResultsFile(file));
                        Collection<ResultRecord> records = new ResultsFile(file).read().latest();
                        double share = share(records);
                        out.printf(Locale.ROOT, "  %-40s teacher share %5.1f%%  accuracy %5.1f%%  (%s)%n", policy.name(),
                                100 * share, 100 * accuracy(records), file.getFileName());
                        out.flush();
                        return share;
                    });
            ConfidenceCallPolicy best = policy(result.best().threshold(), entropy);
            out.printf(Locale.ROOT, "calibrated: --call-policy %s -> teacher share %.1f%% (target %.1f%%, %d probes)%n",
                    best.name(), 100 * result.best().share(), 100 * target, result.probes().size());
            out.flush();
            return 0;
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            Set<CompletionBackend> backends = new LinkedHashSet<>(List.of(studentBackend, teacherBackend));
            backends.forEach(CompletionBackend::close);
        }
    }

    private ConfidenceCallPolicy policy(double threshold, boolean entropy) {
        return CallPolicy.confidence().threshold(Math.round(threshold * 1e6) / 1e6).spanTokens(spanTokens)
                .minGapTokens(minGap)
                .criterion(entropy ? ConfidenceCallPolicy.Criterion.ENTROPY : ConfidenceCallPolicy.Criterion.PROBABILITY)
                .build();
    }

    static double parseShare(String text) {
        String value = text.strip();
        try {
            return value.endsWith("%") ? Double.parseDouble(value.substring(0, value.length() - 1).strip()) / 100
                    : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--target-share must be a fraction like 0.2 or a percentage like 20% "
                    + "(it is " + text + ")");
        }
    }

    /** Teacher tokens over all generated tokens of the run (a ratio of sums, as the random router's share). */
    static double share(Collection<ResultRecord> records) {
        long teacherTokens = 0;
        long all = 0;
        for (ResultRecord record : records) {
            teacherTokens += record.teacherTokens();
            all += record.generatedTokens();
        }
        return all == 0 ? 0 : (double) teacherTokens / all;
    }

    private static double accuracy(Collection<ResultRecord> records) {
        return records.isEmpty() ? 0 : records.stream().filter(ResultRecord::correct).count() / (double) records.size();
    }
}
