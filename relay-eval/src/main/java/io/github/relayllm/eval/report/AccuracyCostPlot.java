package io.github.relayllm.eval.report;

import io.github.relayllm.eval.run.EvalMode;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws accuracy against cost per sample as a PNG with Java2D (headless): one point per run, the random router's
 * line from the student run to the teacher run, and the two router baselines of each relay run.
 */
public final class AccuracyCostPlot {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 600;
    private static final int LEFT = 80, RIGHT = 250, TOP = 50, BOTTOM = 70;
    private static final Map<String, Color> MODE_COLORS = Map.of(
            EvalMode.STUDENT.label(), new Color(0x1f77b4),
            EvalMode.TEACHER.label(), new Color(0xd62728),
            EvalMode.RELAY.label(), new Color(0x2ca02c),
            EvalMode.TEACHER_FREE.label(), new Color(0xff7f0e));
    private static final Color ROUTER = new Color(0x7f7f7f);

    private AccuracyCostPlot() {
    }

    public static byte[] png(Report report) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, report);
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

    private static void draw(Graphics2D g, Report report) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        List<double[]> points = new ArrayList<>();
        report.runs().forEach(run -> points.add(new double[]{run.meanCost(), 100 * run.accuracy()}));
        report.baselines().forEach(b -> {
            points.add(new double[]{b.sameShareCost(), 100 * b.sameShareAccuracy()});
            if (!Double.isNaN(b.equalAccuracyCost())) {
                points.add(new double[]{b.equalAccuracyCost(), 100 * b.relay().accuracy()});
            }
        });
        double maxCost = points.stream().mapToDouble(p -> p[0]).max().orElse(1);
        double minAcc = points.stream().mapToDouble(p -> p[1]).min().orElse(0);
        double maxAcc = points.stream().mapToDouble(p -> p[1]).max().orElse(100);
        double xStep = niceStep(maxCost <= 0 ? 1 : maxCost * 1.1, 6);
        double xMax = Math.ceil((maxCost <= 0 ? 1 : maxCost * 1.08) / xStep) * xStep;
        double yStep = niceStep(Math.max(10, maxAcc - minAcc + 10), 6);
        double yMin = Math.max(0, Math.floor((minAcc - 5) / yStep) * yStep);
        double yMax = Math.min(100, Math.ceil((maxAcc + 5) / yStep) * yStep);
        if (yMax <= yMin) {
            yMax = yMin + yStep;
        }
        Axes axes = new Axes(-0.02 * xMax, xMax, yMin, yMax); // a little room left of cost 0

        // grid and ticks
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        for (double x = 0; x <= xMax + xStep / 2; x += xStep) {
            int px = (int) Math.round(axes.x(x));
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(px, TOP, px, HEIGHT - BOTTOM);
            g.setColor(Color.DARK_GRAY);
            String label = tick(x, xStep);
            g.drawString(label, px - fm.stringWidth(label) / 2, HEIGHT - BOTTOM + 18);
        }
        for (double y = yMin; y <= yMax + yStep / 2; y += yStep) {
            int py = (int) Math.round(axes.y(y));
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(LEFT, py, WIDTH - RIGHT, py);
            g.setColor(Color.DARK_GRAY);
            String label = tick(y, yStep) + "%";
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + 5);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);

        // titles
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Accuracy against cost per sample", LEFT, TOP - 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        String xTitle = "cost per sample (" + report.prices().unit() + ")";
        g.drawString(xTitle, LEFT + (WIDTH - LEFT - RIGHT - g.getFontMetrics().stringWidth(xTitle)) / 2, HEIGHT - 20);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        String yTitle = "accuracy";
        rotated.drawString(yTitle, -(TOP + (HEIGHT - TOP - BOTTOM) / 2 + rotated.getFontMetrics().stringWidth(yTitle) / 2), 22);
        rotated.dispose();

        // the random router's line
        report.router().ifPresent(router -> {
            g.setColor(ROUTER);
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{8f, 6f}, 0f));
            g.draw(new Line2D.Double(axes.x(router.cost(0)), axes.y(100 * router.accuracy(0)),
                    axes.x(router.cost(1)), axes.y(100 * router.accuracy(1))));
            g.setStroke(new BasicStroke(1.5f));
        });

        // router baselines of each relay run
        g.setFont(small);
        for (Report.Baseline b : report.baselines()) {
            Color color = MODE_COLORS.getOrDefault(b.relay().mode(), Color.BLACK);
            double rx = axes.x(b.relay().meanCost()), ry = axes.y(100 * b.relay().accuracy());
            double sx = axes.x(b.sameShareCost()), sy = axes.y(100 * b.sameShareAccuracy());
            g.setColor(color);
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{2f, 3f}, 0f));
            g.draw(new Line2D.Double(rx, ry, sx, sy));
            g.setStroke(new BasicStroke(2f));
            g.draw(diamond(sx, sy, 7));
            if (!Double.isNaN(b.equalAccuracyCost())) {
                double ex = axes.x(b.equalAccuracyCost());
                g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{2f, 3f}, 0f));
                g.draw(new Line2D.Double(rx, ry, ex, ry));
                g.setStroke(new BasicStroke(2f));
                g.draw(new Rectangle2D.Double(ex - 6, ry - 6, 12, 12));
            }
        }

        // runs
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        List<Rectangle2D> placed = new ArrayList<>();
        for (RunSummary run : report.runs()) {
            Color color = MODE_COLORS.getOrDefault(run.mode(), Color.BLACK);
            double px = axes.x(run.meanCost()), py = axes.y(100 * run.accuracy());
            g.setColor(color);
            g.fill(new Ellipse2D.Double(px - 7, py - 7, 14, 14));
            g.setColor(Color.BLACK);
            g.draw(new Ellipse2D.Double(px - 7, py - 7, 14, 14));
            String label = run.label() + String.format(Locale.ROOT, " (%.1f%%)", 100 * run.accuracy());
            int width = g.getFontMetrics().stringWidth(label);
            double lx = px + 11 + width > WIDTH - RIGHT ? px - 11 - width : px + 11;
            int height = g.getFontMetrics().getHeight();
            Rectangle2D box = new Rectangle2D.Double(lx, py - 9 - height + 3, width, height);
            // runs at the same spot (e.g. two at accuracy 0, cost 0): stack their labels instead of overprinting
            while (overlaps(box, placed)) {
                box = new Rectangle2D.Double(box.getX(), box.getY() - height, width, height);
            }
            placed.add(box);
            g.drawString(label, (float) box.getX(), (float) (box.getY() + height - 3));
        }

        legend(g, report);
    }

    private static void legend(Graphics2D g, Report report) {
        int x = WIDTH - RIGHT + 20;
        int y = TOP + 10;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (EvalMode mode : EvalMode.values()) {
            if (report.runs().stream().noneMatch(run -> mode.label().equals(run.mode()))) {
                continue;
            }
            g.setColor(MODE_COLORS.get(mode.label()));
            g.fill(new Ellipse2D.Double(x, y - 10, 12, 12));
            g.setColor(Color.BLACK);
            g.draw(new Ellipse2D.Double(x, y - 10, 12, 12));
            g.drawString(mode.label() + " run", x + 20, y);
            y += 24;
        }
        if (report.router().isPresent()) {
            g.setColor(ROUTER);
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{8f, 6f}, 0f));
            g.drawLine(x - 2, y - 4, x + 14, y - 4);
            g.setStroke(new BasicStroke(2f));
            g.setColor(Color.BLACK);
            g.drawString("random router", x + 20, y);
            y += 24;
        }
        if (!report.baselines().isEmpty()) {
            g.setColor(Color.BLACK);
            g.draw(diamond(x + 6, y - 4, 7));
            g.drawString("router, same teacher share", x + 20, y);
            y += 24;
            g.draw(new Rectangle2D.Double(x, y - 10, 12, 12));
            g.drawString("router, equal accuracy", x + 20, y);
        }
    }

    private static boolean overlaps(Rectangle2D box, List<Rectangle2D> placed) {
        return placed.stream().anyMatch(box::intersects);
    }

    private static Shape diamond(double x, double y, double r) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(x, y - r);
        path.lineTo(x + r, y);
        path.lineTo(x, y + r);
        path.lineTo(x - r, y);
        path.closePath();
        return path;
    }

    /** A step of 1, 2 or 5 × 10^k giving about {@code ticks} intervals over {@code range}. */
    static double niceStep(double range, int ticks) {
        double raw = range / ticks;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static String tick(double value, double step) {
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step));
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private record Axes(double xMin, double xMax, double yMin, double yMax) {
        double x(double value) {
            return LEFT + (value - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT);
        }

        double y(double value) {
            return HEIGHT - BOTTOM - (value - yMin) / (yMax - yMin) * (HEIGHT - TOP - BOTTOM);
        }
    }
}
