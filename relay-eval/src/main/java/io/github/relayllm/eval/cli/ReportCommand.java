package io.github.relayllm.eval.cli;

import io.github.relayllm.eval.report.AccuracyCostPlot;
import io.github.relayllm.eval.report.HtmlReport;
import io.github.relayllm.eval.report.MarkdownReport;
import io.github.relayllm.eval.report.Prices;
import io.github.relayllm.eval.report.Report;
import io.github.relayllm.eval.suite.SuiteConfig;
import io.github.relayllm.eval.suite.SuiteRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Summarises results files (one per run) into a table of accuracy, teacher share, tokens, "
                + "latency and cost, plus the random-router baselines computed from the student and teacher runs "
                + "(see relay-eval/README.md for their exact definition).",
                "Writes report.md, report.png (accuracy against cost) and report.html (both, PNG inlined) to --output-dir "
                        + "and prints the Markdown."})
final class ReportCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "[LABEL=]RESULTS",
            description = "Results JSONL files written by 'run', each optionally labelled: 'stage-2 relay=relay.jsonl' "
                    + "(default label: the file name without .jsonl). The first student and the first teacher run "
                    + "make the random router.")
    List<String> results;

    @Option(names = "--prices", paramLabel = "FILE",
            description = "JSON prices per million tokens: {\"MODEL\": {\"input\": 0.2, \"output\": 0.6}, \"*\": {...}}")
    Path pricesFile;

    @Option(names = "--price", paramLabel = "MODEL=IN/OUT",
            description = "A model's price per million input/output tokens (repeatable; adds to --prices). "
                    + "Without prices, cost is counted in teacher generated tokens.")
    List<String> priceFlags;

    @Option(names = "--output-dir", defaultValue = "relay-eval-report", paramLabel = "DIR",
            description = "Folder for report.md, report.png and report.html (default: ${DEFAULT-VALUE}); with --suite: "
                    + "the suite's results folder (default: the config's output_dir), the report going to its report/")
    Path outputDir;

    @Option(names = "--suite", paramLabel = "CONFIG",
            description = "Instead of results files: the paper's table of a suite run by 'relay-eval suite --config "
                    + "CONFIG' (accuracy per benchmark, averages, teacher share, cost cut)")
    Path suite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (suite != null) {
            if (results != null && !results.isEmpty()) {
                throw new IllegalArgumentException("give --suite CONFIG or results files, not both");
            }
            SuiteConfig config = SuiteConfig.read(suite);
            if (spec.commandLine().getParseResult().matchedOption("--output-dir") != null) {
                config = config.withOutputDir(outputDir);
            }
            SuiteCommand.write(SuiteRunner.report(config), config.outputDir().resolve("report"),
                    spec.commandLine().getOut());
            return 0;
        }
        if (results == null || results.isEmpty()) {
            throw new IllegalArgumentException("name the results files to report (or --suite CONFIG)");
        }
        Prices prices = pricesFile == null ? Prices.teacherTokens() : Prices.read(pricesFile);
        if (priceFlags != null) {
            Map<String, Prices.Price> more = new LinkedHashMap<>();
            priceFlags.forEach(flag -> {
                Map.Entry<String, Prices.Price> entry = Prices.parseFlag(flag);
                more.put(entry.getKey(), entry.getValue());
            });
            prices = prices.with(more);
        }
        Report report = Report.fromInputs(results.stream().map(ReportCommand::input).toList(), prices);
        String markdown = MarkdownReport.render(report);
        byte[] png = AccuracyCostPlot.png(report);
        Files.createDirectories(outputDir);
        Files.writeString(outputDir.resolve("report.md"), markdown, StandardCharsets.UTF_8);
        Files.write(outputDir.resolve("report.png"), png);
        Files.writeString(outputDir.resolve("report.html"), HtmlReport.render(report, png), StandardCharsets.UTF_8);
        PrintWriter out = spec.commandLine().getOut();
        out.print(markdown);
        out.println();
        out.println("wrote " + outputDir.resolve("report.md") + ", report.png, report.html");
        out.flush();
        return 0;
    }

    /** {@code LABEL=FILE}, or {@code FILE} (also when the whole argument, '=' and all, names an existing file). */
    static Report.Input input(String argument) {
        int equals = argument.indexOf('=');
        if (equals < 0 || Files.exists(Path.of(argument))) {
            return new Report.Input(null, Path.of(argument));
        }
        String label = argument.substring(0, equals).strip();
        String file = argument.substring(equals + 1);
        if (label.isEmpty() || file.isBlank()) {
            throw new IllegalArgumentException("results argument '" + argument + "' has an empty "
                    + (label.isEmpty() ? "label" : "file") + "; write LABEL=FILE or FILE");
        }
        return new Report.Input(label, Path.of(file));
    }
}
