package io.github.relayllm.eval.suite;

import io.github.relayllm.eval.report.SuitePlot;
import io.github.relayllm.eval.report.SuiteReport;
import io.github.relayllm.eval.run.Progress;
import io.github.relayllm.eval.run.ResultRecord;
import io.github.relayllm.eval.run.ResultsFile;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suite over the real relay loop with scripted backends: a student that always answers 27 (right on one AMC
 * problem), a teacher that knows every answer (10 tokens alone, 2 tokens as a relay span), a relay student that asks
 * the teacher for the answer.
 */
class SuiteRunnerTest {

    @TempDir
    Path dir;

    private static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry("Anna reads", "27"), Map.entry("half of 50", "25"), Map.entry("3.5 doubled", "7"),
            Map.entry("1/4 of 10", "2.5"), Map.entry("edges has a cube", "12"),
            Map.entry("not ( True and False )", "True"), Map.entry("True and not True", "False"),
            Map.entry("( False or True ) and True", "True"), Map.entry("not not False", "False"),
            Map.entry("False or not False", "True"), Map.entry("Q: True and False is", "False"));

    /** A backend answering each prompt with a function of it; counts its calls. */
    private record Scripted(String modelName, Function<String, Completion> script, AtomicInteger calls)
            implements CompletionBackend {

        @Override
        public Completion complete(CompletionRequest request) {
            calls.incrementAndGet();
            return script.apply(request.prompt());
        }

        @Override
        public Completion completeStreaming(CompletionRequest request, StreamingCompletionHandler handler) {
            return complete(request);
        }

        @Override
        public String name() {
            return "scripted(" + modelName + ")";
        }
    }

    private static Completion done(String text, int tokens) {
        return Completion.builder().text(text).generatedTokens(tokens).promptTokens(10)
                .finishReason(Completion.FinishReason.EOS).latency(Duration.ofMillis(1)).build();
    }

    /** The answer the teacher knows for the prompt's last question (few-shot examples before it are skipped). */
    private static String known(String prompt) {
        String question = prompt.contains("Q: ") ? prompt.substring(prompt.lastIndexOf("Q: ")) : prompt;
        return KNOWN.entrySet().stream().filter(entry -> question.contains(entry.getKey())).findFirst()
                .map(Map.Entry::getValue).orElse("0");
    }

    private static Path layout(String name) {
        try {
            return Path.of(SuiteRunnerTest.class.getResource("/layouts/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void should_run_every_dataset_under_every_mode_resume_and_report_the_papers_table() throws Exception {
        // given
        Path configFile = dir.resolve("suite.json");
        Files.writeString(configFile, "{\"output_dir\": \"" + dir.resolve("out") + "\", \"modes\": [\"student\", "
                + "\"teacher\", \"relay\"], \"student\": \"s\", \"relay_student\": \"r\", \"teacher\": \"t\", "
                + "\"datasets\": [{\"name\": \"AMC\", \"file\": \"" + layout("amc.jsonl") + "\"}, "
                + "{\"name\": \"BBH boolean expressions\", \"file\": \"" + layout("bbh_boolean_expressions.json")
                + "\", \"few_shot\": \"" + layout("bbh_cot_boolean_expressions.txt") + "\", "
                + "\"group\": \"out-of-domain\"}]}");
        SuiteConfig config = SuiteConfig.read(configFile);
        AtomicInteger calls = new AtomicInteger();
        List<String> created = new ArrayList<>();
        Function<String, CompletionBackend> backends = spec -> {
            created.add(spec);
            return switch (spec) {
                case "s" -> new Scripted("student", prompt -> done("So the answer is 27.", 6), calls);
                case "r" -> new Scripted("relay-student", prompt -> prompt.contains("<call>")
                        ? done("", 0)
                        : Completion.builder().text("So the answer is <call>2</call>").generatedTokens(8)
                        .promptTokens(10).finishReason(Completion.FinishReason.STOP).stopString("</call>")
                        .latency(Duration.ofMillis(1)).build(), calls);
                default -> new Scripted("teacher", prompt -> prompt.endsWith("So the answer is ")
                        ? done(known(prompt) + ".", 2) : done("So the answer is " + known(prompt) + ".", 10), calls);
            };
        };

        // when
        SuiteRunner.Outcome first = new SuiteRunner(config, backends, Progress::silent).run(new PrintWriter(new StringWriter()));
        int callsAfterFirst = calls.get();
        SuiteRunner.Outcome again = new SuiteRunner(config, backends, Progress::silent).run(new PrintWriter(new StringWriter()));
        SuiteReport report = SuiteRunner.report(config);

        // then
        assertThat(first.runs()).isEqualTo(6);
        assertThat(first.ran()).isEqualTo(3 * (5 + 6));
        assertThat(first.failed()).isZero();
        assertThat(again.ran()).as("a rerun resumes: nothing left to run").isZero();
        assertThat(again.skipped()).isEqualTo(33);
        assertThat(calls.get()).isEqualTo(callsAfterFirst);
        assertThat(created).containsExactly("s", "t", "r", "s", "t", "r");

        List<ResultRecord> bbh = List.copyOf(new ResultsFile(config.results(config.datasets().get(1),
                config.modes().get(0))).read().records());
        assertThat(bbh.get(0).prompt()).startsWith("Work out whether a Boolean expression is True or False.\n\nQ: not")
                .endsWith("Q: not ( True and False ) is\nA: Let's think step by step.");

        String markdown = report.markdown();
        // student: AMC 1/5, BBH 0/6 (always 27); teacher and relay 100%; relay share 2 / (8 + 2) tokens
        assertThat(markdown).contains("| setup | AMC | math average | BBH boolean expressions | out-of-domain average "
                + "| teacher share | cost cut vs the equal-accuracy random router |");
        assertThat(markdown).contains("| student | 20.0% | 20.0% | 0.0% | 0.0% | 0.0% | - |");
        assertThat(markdown).contains("| teacher | 100.0% | 100.0% | 100.0% | 100.0% | 100.0% | - |");
        // router: A_s 0.1, A_t 1.0, C_t 10 teacher tokens; the relay at 1.0 costs 2: cut 1 - 2/10
        assertThat(markdown).contains("| relay | 100.0% | 100.0% | 100.0% | 100.0% | 20.0% | 80.0% |");
        assertThat(markdown).contains("| AMC | relay | 5 | 100.0% (5/5) | 5/5 | 20.0% | 2.0 | 10.0 | 1.00 | 0 |");
        // the student's "27" is a final answer, just a wrong one for Boolean expressions
        assertThat(markdown).contains("| BBH boolean expressions | student | 6 | 0.0% (0/6) | 6/6 | 0.0% |");
        byte[] png = SuitePlot.png(report);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(report.html(png)).contains("<td>relay</td><td>100.0%</td>").contains("data:image/png;base64,");
    }
}
