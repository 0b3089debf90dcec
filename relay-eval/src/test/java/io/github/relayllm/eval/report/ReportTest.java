package io.github.relayllm.eval.report;

import io.github.relayllm.eval.run.ResultRecord;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A hand-checked example. Four problems per run:
 * student: 1 right, 10 generated and 100 prompt tokens each; teacher: 3 right, 30 generated, 100 prompt;
 * relay: 2 right, student 15 + teacher 5 generated, student 200 + teacher 150 prompt tokens.
 * <p>
 * By hand: A_s = 0.25, A_t = 0.75, A_r = 0.5; teacher share of the relay s = 5 / 20 = 0.25.
 * Same-share router: q₁ = s·G_s / ((1-s)·G_t + s·G_s) = 0.25·10 / (0.75·30 + 0.25·10) = 2.5 / 25 = 0.1; check
 * S(0.1) = 0.1·30 / (0.9·10 + 0.1·30) = 3 / 12 = 0.25. A(q₁) = 0.9·0.25 + 0.1·0.75 = 0.30, gain +20 points.
 * Equal-accuracy router: q₂ = (0.5 - 0.25) / (0.75 - 0.25) = 0.5.
 * Cost in teacher tokens: C_s = 0, C_t = 30, C_r = 5; C(q₁) = 3; C(q₂) = 15; reduction 1 - 5/15 = 66.7%.
 * Cost in money (student 1/2 $ per M input/output, teacher 10/20): C_s = (100·1 + 10·2)/1e6 = 120e-6,
 * C_t = (100·10 + 30·20)/1e6 = 1600e-6, C_r = (200·1 + 15·2 + 150·10 + 5·20)/1e6 = 1830e-6; C(q₂) = 860e-6;
 * reduction 1 - 1830/860 = -112.8% (this relay reads long prompts: it costs more than the router).
 */
class ReportTest {

    private static List<ResultRecord> run(String mode, int right, long st, long tt, long sp, long tp) {
        List<ResultRecord> records = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            records.add(new ResultRecord(String.valueOf(i), 0, mode, st > 0 ? "small" : null, tt > 0 ? "big" : null,
                    "q", "o", "1", "1", i < right, st, tt, sp, tp, tt > 0 && st > 0 ? 1 : 0, st, tt, st + tt,
                    (double) tt / (st + tt), "STUDENT_DONE", null));
        }
        return records;
    }

    private static Report report(Prices prices) {
        return Report.of(List.of(
                RunSummary.of("student", run("student", 1, 10, 0, 100, 0), prices),
                RunSummary.of("teacher", run("teacher", 3, 0, 30, 0, 100), prices),
                RunSummary.of("relay", run("relay", 2, 15, 5, 200, 150), prices)), prices);
    }

    @Test
    void should_compute_the_hand_checked_numbers_in_teacher_tokens() {
        // when
        Report report = report(Prices.teacherTokens());

        // then
        RunSummary relay = report.runs().get(2);
        assertThat(relay.accuracy()).isEqualTo(0.5);
        assertThat(relay.teacherShare()).isEqualTo(0.25);
        assertThat(relay.meanCost()).isEqualTo(5.0);
        assertThat(relay.meanPromptTokens()).isEqualTo(350.0);
        assertThat(report.baselines()).hasSize(1);
        Report.Baseline baseline = report.baselines().get(0);
        assertThat(baseline.sameShareProbability()).isCloseTo(0.1, within(1e-12));
        assertThat(report.router().orElseThrow().teacherShare(0.1)).isCloseTo(0.25, within(1e-12));
        assertThat(baseline.sameShareAccuracy()).isCloseTo(0.30, within(1e-12));
        assertThat(baseline.accuracyGain()).isCloseTo(0.20, within(1e-12));
        assertThat(baseline.sameShareCost()).isCloseTo(3.0, within(1e-12));
        assertThat(baseline.equalAccuracyProbability()).isCloseTo(0.5, within(1e-12));
        assertThat(baseline.equalAccuracyCost()).isCloseTo(15.0, within(1e-12));
        assertThat(baseline.costReduction()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void should_compute_the_hand_checked_costs_in_money() {
        // given
        Prices prices = Prices.of(Map.of("small", new Prices.Price(1, 2), "big", new Prices.Price(10, 20)));

        // when
        Report report = report(prices);

        // then
        assertThat(report.runs().get(0).meanCost()).isCloseTo(120e-6, within(1e-15));
        assertThat(report.runs().get(1).meanCost()).isCloseTo(1600e-6, within(1e-15));
        assertThat(report.runs().get(2).meanCost()).isCloseTo(1830e-6, within(1e-15));
        assertThat(report.runs().get(2).totalCost()).isCloseTo(4 * 1830e-6, within(1e-15));
        Report.Baseline baseline = report.baselines().get(0);
        assertThat(baseline.equalAccuracyCost()).isCloseTo(860e-6, within(1e-15));
        assertThat(baseline.costReduction()).isCloseTo(1 - 1830.0 / 860, within(1e-12));
    }

    @Test
    void should_render_the_numbers_in_markdown_and_html_with_an_inlined_plot() throws Exception {
        // given
        Report report = report(Prices.teacherTokens());

        // when
        String markdown = MarkdownReport.render(report);
        byte[] png = AccuracyCostPlot.png(report);
        String html = HtmlReport.render(report, png);

        // then
        assertThat(markdown).contains("| relay | relay | small | big | 4 | 4 | 50.0% (2/4) | - | 25.0% | 20.0 (15.0 + 5.0) | 350.0 | 1.00 |");
        assertThat(markdown).contains("| relay | 50.0% | 25.0% | 5.0 | 0.100 | 30.0% | 3.0 | +20.0 pts | 0.500 | 15.0 | 66.7% |");
        assertThat(markdown).contains("| student | student | small | - | 4 | 4 | 25.0% (1/4) |");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(960);
        assertThat(image.getHeight()).isEqualTo(600);
        assertThat(image.getRGB(5, 5) & 0xffffff).isEqualTo(0xffffff);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("data:image/png;base64,iVBOR")
                .contains("<td>+20.0 pts</td>").contains("<td>66.7%</td>");
    }

    @Test
    void should_render_one_summary_row_per_run_with_the_router_columns_on_relay_rows() {
        // given
        Prices prices = Prices.teacherTokens();
        Report report = Report.of(List.of(
                RunSummary.of("student alone", run("student", 1, 10, 0, 100, 0), prices),
                RunSummary.of("teacher alone", run("teacher", 3, 0, 30, 0, 100), prices),
                RunSummary.of("stage-2 relay", run("relay", 2, 15, 5, 200, 150), prices),
                RunSummary.of("stage-2 teacher-free", run("teacher-free", 1, 12, 0, 100, 0), prices)), prices);

        // when
        String markdown = MarkdownReport.render(report);

        // then
        assertThat(markdown).startsWith("# Relay evaluation report\n\n"
                + "| run | accuracy | teacher share | teacher calls per answer | random router at this teacher share: "
                + "accuracy | cost reduction vs the random router of equal accuracy |\n"
                + "|---|---|---|---|---|---|\n"
                + "| student alone | 25.0% | 0.0% | 0.00 | - | - |\n"
                + "| teacher alone | 75.0% | 100.0% | 0.00 | - | - |\n"
                + "| stage-2 relay | 50.0% | 25.0% | 1.00 | 30.0% | 66.7% |\n"
                // teacher share 0: the router sends nothing to the teacher; equal accuracy costs nothing: n/a
                + "| stage-2 teacher-free | 25.0% | 0.0% | 0.00 | 25.0% | n/a |\n");
    }

    @Test
    void should_say_what_is_missing_for_the_baselines() {
        // given
        Prices prices = Prices.teacherTokens();
        Report report = Report.of(List.of(RunSummary.of("relay", run("relay", 2, 15, 5, 200, 150), prices)), prices);

        // when
        String markdown = MarkdownReport.render(report);

        // then
        assertThat(report.baselines()).isEmpty();
        assertThat(markdown).contains("need a `student` run and a `teacher` run");
    }

    @Test
    void should_mark_the_equal_accuracy_router_unavailable_when_the_relay_beats_the_teacher() {
        // given
        Prices prices = Prices.teacherTokens();

        // when
        Report report = Report.of(List.of(
                RunSummary.of("student", run("student", 1, 10, 0, 100, 0), prices),
                RunSummary.of("teacher", run("teacher", 3, 0, 30, 0, 100), prices),
                RunSummary.of("relay", run("relay", 4, 15, 5, 200, 150), prices)), prices);

        // then
        assertThat(report.baselines().get(0).equalAccuracyProbability()).isNaN();
        assertThat(MarkdownReport.render(report)).contains("| n/a | n/a | n/a |");
    }

    @Test
    void should_name_the_model_without_a_price() {
        // given
        Prices prices = Prices.of(Map.of("small", new Prices.Price(1, 2)));

        // when / then
        assertThatThrownBy(() -> RunSummary.of("teacher", run("teacher", 3, 0, 30, 0, 100), prices))
                .hasMessageContaining("no price for model 'big'").hasMessageContaining("--price big=INPUT/OUTPUT");
        assertThat(Prices.parseFlag("tiny-teacher.gguf=0.2/0.6").getValue()).isEqualTo(new Prices.Price(0.2, 0.6));
        assertThatThrownBy(() -> Prices.parseFlag("big=0.2")).hasMessageContaining("MODEL=INPUT/OUTPUT");
    }
}
