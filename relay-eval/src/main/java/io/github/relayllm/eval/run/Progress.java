package io.github.relayllm.eval.run;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shows how a run advances: on a terminal a one-line bar redrawn in place (done/total, rate, ETA, accuracy so
 * far); otherwise (a log file, CI) a plain line every {@code interval}. Thread-safe.
 */
public final class Progress {

    private static final int BAR_WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final long intervalNanos;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger correct = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private int total;
    private long startNanos;
    private long lastPrintNanos;

    /**
     * @param terminal  draw a bar (use {@code System.console() != null}); else print plain lines
     * @param interval  time between plain lines
     */
    public Progress(PrintStream out, boolean terminal, Duration interval) {
        this.out = out;
        this.terminal = terminal;
        this.intervalNanos = interval.toNanos();
    }

    /** A progress display that prints nothing. */
    public static Progress silent() {
        return new Progress(new PrintStream(java.io.OutputStream.nullOutputStream()), false, Duration.ofDays(1));
    }

    synchronized void start(int total, int skipped) {
        this.total = total;
        this.startNanos = System.nanoTime();
        this.lastPrintNanos = startNanos;
        if (skipped > 0) {
            out.printf(Locale.ROOT, "resuming: %d samples already in the results file, %d to run%n", skipped, total);
        } else {
            out.printf(Locale.ROOT, "running %d samples%n", total);
        }
        out.flush();
    }

    void completed(ResultRecord record) {
        done.incrementAndGet();
        if (record.correct()) {
            correct.incrementAndGet();
        }
        if (record.failed()) {
            failed.incrementAndGet();
        }
        synchronized (this) {
            long now = System.nanoTime();
            long wait = terminal ? REDRAW_NANOS : intervalNanos;
            if (now - lastPrintNanos >= wait || done.get() == total) {
                lastPrintNanos = now;
                print(now);
            }
        }
    }

    synchronized void finish() {
        if (terminal) {
            out.println();
        }
        out.flush();
    }

    private void print(long now) {
        String line = line(done.get(), total, correct.get(), failed.get(), now - startNanos);
        if (terminal) {
            out.print("\r" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** One status line: bar (terminal only), count, percent, rate, ETA, accuracy so far, failures. */
    String line(int done, int total, int correct, int failed, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        double fraction = total == 0 ? 1 : (double) done / total;
        StringBuilder line = new StringBuilder();
        if (terminal) {
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            line.append('[').append("#".repeat(filled)).append(" ".repeat(BAR_WIDTH - filled)).append("] ");
        }
        line.append(String.format(Locale.ROOT, "%d/%d %5.1f%%  %.2f/s  elapsed %s  ETA %s  accuracy %.1f%%",
                done, total, 100 * fraction, rate, clock(seconds),
                rate > 0 ? clock((total - done) / rate) : "?", done == 0 ? 0.0 : 100.0 * correct / done));
        if (failed > 0) {
            line.append("  failed ").append(failed);
        }
        return line.toString();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
