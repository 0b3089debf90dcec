package io.github.relayllm.langchain4j.internal;

import java.time.Duration;
import java.util.Collection;

/** Argument checks whose messages name the setting to fix. Not API: shared by the relay's modules. */
public final class Checks {

    private Checks() {
    }

    public static String ensureNotBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set (it is " + (value == null ? "null" : "blank") + ")");
        }
        return value;
    }

    public static <T> T ensureNotNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must be set (it is null)");
        }
        return value;
    }

    public static int ensureAtLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + " (it is " + value + ")");
        }
        return value;
    }

    public static <C extends Collection<?>> C ensureNoNulls(C values, String name) {
        for (Object value : values) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not contain null");
            }
        }
        return values;
    }

    public static <T> T getOrDefault(T value, T defaultValue) {
        return value != null ? value : defaultValue;
    }

    public static Duration positive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive (it is " + value + ")");
        }
        return value;
    }
}
