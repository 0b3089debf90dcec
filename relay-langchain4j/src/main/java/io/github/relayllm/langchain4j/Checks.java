package io.github.relayllm.langchain4j;

import java.util.Collection;

/** Argument checks whose messages name the setting to fix. */
final class Checks {

    private Checks() {
    }

    static String ensureNotBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set (it is " + (value == null ? "null" : "blank") + ")");
        }
        return value;
    }

    static <T> T ensureNotNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must be set (it is null)");
        }
        return value;
    }

    static int ensureAtLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + " (it is " + value + ")");
        }
        return value;
    }

    static <C extends Collection<?>> C ensureNoNulls(C values, String name) {
        for (Object value : values) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not contain null");
            }
        }
        return values;
    }

    static <T> T getOrDefault(T value, T defaultValue) {
        return value != null ? value : defaultValue;
    }
}
