package io.github.relayllm.eval.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a suite's table as grouped bars with Java2D (headless): for each benchmark and each group average, one bar
 * per setup, its height the accuracy.
 */
public final class SuitePlot {

    private static final int HEIGHT = 560;
    private static final int LEFT = 70, TOP = 50, BOTTOM = 110;
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private SuitePlot() {
    }

    public static byte[] png(SuiteReport report) {
        System.setProperty("java.awt.headless", "true");
        List<String> labels = new ArrayList<>();
        List<double[]> values = new ArrayList<>(); // per column: one accuracy per row
        List<String> groups = report.groups();
        for (String group : groups) {
            for (int i = 0; i < report.benchmarks().size(); i++) {
                if (report.benchmarks().get(i).group().equals(group)) {
                    int column = i;
                    labels.add(report.benchmarks().get(i).name());
                    values.add(report.rows().stream().mapToDouble(row -> row.runs().get(column) == null ? Double.NaN
                            : row.runs().get(column).accuracy()).toArray());
                }
            }
            labels.add(groups.size() == 1 ? "average" : group + " average");
            values.add(report.rows().stream().mapToDouble(row -> report.groupAccuracy(row, group)).toArray());
        }
        int rows = report.rows().size();
        List<String> legend = report.rows().stream().map(row -> row.setup()
                + String.format(Locale.ROOT, " (share %.1f%%)", 100 * row.teacherShare())).toList();
        int right = 60 + legendWidth(legend);
        int columnWidth = Math.max(60, rows * 14 + 24);
        int width = Math.max(720, LEFT + right + labels.size() * columnWidth);
        BufferedImage image = new BufferedImage(width, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, HEIGHT);
            int plotWidth = width - LEFT - right;
            int plotHeight = HEIGHT - TOP - BOTTOM;
            Font small = SMALL;
            g.setFont(small);
            FontMetrics fm = g.getFontMetrics();
            for (int percent = 0; percent <= 100; percent += 20) {
                int y = TOP + plotHeight - percent * plotHeight / 100;
                g.setColor(new Color(0xe6e6e6));
                g.drawLine(LEFT, y, LEFT + plotWidth, y);
                g.setColor(Color.DARK_GRAY);
                String label = percent + "%";
                g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + 4);
            }
            double slot = (double) plotWidth / labels.size();
            double barWidth = Math.min(18, (slot - 16) / Math.max(1, rows));
            for (int c = 0; c < labels.size(); c++) {
                double start = LEFT + c * slot + (slot - barWidth * rows) / 2;
                for (int r = 0; r < rows; r++) {
                    double accuracy = values.get(c)[r];
                    if (Double.isNaN(accuracy)) {
                        continue;
                    }
                    int h = (int) Math.round(accuracy * plotHeight);
                    g.setColor(PALETTE[r % PALETTE.length]);
                    g.fillRect((int) Math.round(start + r * barWidth), TOP + plotHeight - Math.max(h, 1),
                            (int) Math.max(1, Math.round(barWidth) - 1), Math.max(h, 1));
                }
                g.setColor(Color.BLACK);
                drawWrapped(g, labels.get(c), LEFT + c * slot + slot / 2, TOP + plotHeight + 16, slot - 4);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, plotWidth, plotHeight);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString("Accuracy per benchmark", LEFT, TOP - 20);
            g.setFont(small);
            int x = width - right + 20;
            int y = TOP + 10;
            for (int r = 0; r < rows; r++) {
                g.setColor(PALETTE[r % PALETTE.length]);
                g.fillRect(x, y - 10, 12, 12);
                g.setColor(Color.BLACK);
                g.drawString(legend.get(r), x + 20, y);
                y += 22;
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static int legendWidth(List<String> labels) {
        Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            FontMetrics fm = scratch.getFontMetrics(SMALL);
            return labels.stream().mapToInt(fm::stringWidth).max().orElse(100);
        } finally {
            scratch.dispose();
        }
    }

    /** A label centred under its bars, broken into lines at spaces to fit the slot. */
    private static void drawWrapped(Graphics2D g, String text, double centre, int top, double maxWidth) {
        FontMetrics fm = g.getFontMetrics();
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (fm.stringWidth(candidate) > maxWidth && !line.isEmpty()) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        lines.add(line.toString());
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            g.drawString(l, (float) (centre - fm.stringWidth(l) / 2.0), top + i * fm.getHeight());
        }
    }
}
