package io.github.relayllm.eval.cli;

import io.github.relayllm.eval.report.SuitePlot;
import io.github.relayllm.eval.report.SuiteReport;
import io.github.relayllm.eval.run.Progress;
import io.github.relayllm.eval.suite.SuiteConfig;
import io.github.relayllm.eval.suite.SuiteRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "suite", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a benchmark suite: every dataset of --config through every mode (student, teacher, relay, "
                + "teacher-free, confidence:<threshold>[:<span>]), one results file each under the config's "
                + "output_dir, then writes the paper's table (accuracy per benchmark and average, teacher share, cost "
                + "cut against the equal-accuracy random router) as report.md, report.png and report.html in "
                + "<output_dir>/report and prints it. Run it again to resume: finished samples are skipped, failed "
                + "ones retried. 'relay-eval report --suite CONFIG' prints the table without running.",
                "Config fields: relay-eval/README.md ('suite'); an example on the embedded pair: "
                        + "relay-eval/suites/embedded.json."})
final class SuiteCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Suite config (JSON)")
    Path config;

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Folder of the results and the report (default: the config's output_dir)")
    Path outputDir;

    @Option(names = "--progress-interval", defaultValue = "30", paramLabel = "SECONDS",
            description = "Seconds between progress lines when not on a terminal (default: ${DEFAULT-VALUE})")
    int progressInterval;

    @Mixin
    BackendOptions backendOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        SuiteConfig suite = outputDir == null ? SuiteConfig.read(config) : SuiteConfig.read(config).withOutputDir(outputDir);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "suite %s: %d datasets x %d modes%s -> %s%n", config, suite.datasets().size(),
                suite.modes().size(), suite.limit() == null ? "" : " (first " + suite.limit() + " problems each)",
                suite.outputDir());
        out.flush();
        SuiteRunner runner = new SuiteRunner(suite,
                backendSpec -> backendOptions.backend(backendSpec, null, "suite backend"),
                () -> new Progress(System.err, System.console() != null, Duration.ofSeconds(Math.max(1, progressInterval))));
        SuiteRunner.Outcome outcome = runner.run(out);
        out.printf(Locale.ROOT, "done: %d runs, %d samples run (%d correct, %d failed), %d already done%n%n",
                outcome.runs(), outcome.ran(), outcome.correct(), outcome.failed(), outcome.skipped());
        write(SuiteRunner.report(suite), suite.outputDir().resolve("report"), out);
        return outcome.failed() > 0 ? 1 : 0;
    }

    /** Writes report.md, report.png and report.html of a suite to {@code folder} and prints the Markdown. */
    static void write(SuiteReport report, Path folder, PrintWriter out) throws IOException {
        String markdown = report.markdown();
        byte[] png = SuitePlot.png(report);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("report.md"), markdown, StandardCharsets.UTF_8);
        Files.write(folder.resolve("report.png"), png);
        Files.writeString(folder.resolve("report.html"), report.html(png), StandardCharsets.UTF_8);
        out.print(markdown);
        out.println();
        out.println("wrote " + folder.resolve("report.md") + ", report.png, report.html");
        out.flush();
    }
}
