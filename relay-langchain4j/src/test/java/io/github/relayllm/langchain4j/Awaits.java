package io.github.relayllm.langchain4j;

import java.util.function.BooleanSupplier;

/** Bounded waits for tests: a condition that does not come true within 20 s fails the test, it never hangs it. */
final class Awaits {

    private static final long LIMIT_MILLIS = 20_000;

    private Awaits() {
    }

    static void until(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + LIMIT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + LIMIT_MILLIS / 1000 + " s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what);
            }
        }
    }
}
