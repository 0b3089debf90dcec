package io.github.relayllm.langchain4j.internal.http;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When an HTTP backend tries a completion again, and after how long.
 * <p>
 * Only what is safe to repeat is retried: failures where the server has not started on the request, so a second
 * attempt cannot double the work or repeat text a caller already saw.
 * <ul>
 *     <li>no connection: refused (a server that restarts) or not made within {@code connectTimeout};</li>
 *     <li>a connection closed or reset before the first byte of the answer: most often a kept-alive connection
 *     that the server closed as idle just as the request went out on it (the JDK client retries that only for
 *     GET); the first such retry goes at once, on a new connection;</li>
 *     <li>429 Too Many Requests, 502 Bad Gateway, 503 Service Unavailable (llama-server while it loads its model,
 *     a proxy with no healthy upstream), 504 Gateway Timeout: statuses that say "not now" rather than "never";</li>
 * </ul>
 * Never retried: other 4xx (the request or the key is wrong and stays wrong), 500 (a server bug that the same
 * request meets again), a read timeout (the server may still be generating: a second request doubles its load and
 * the caller's wait), and anything after an answer began (a streamed piece may already be shown).
 * <p>
 * The wait honours the server's {@code Retry-After} (seconds or an HTTP date) up to {@link #MAX_RETRY_AFTER}; a
 * server that asks for longer is not retried at all, and the error says what it asked. Without {@code Retry-After}
 * the wait doubles from {@link #FIRST_BACKOFF} (0.5 s, 1 s, 2 s, … at most 8 s), each shortened by up to a fifth at
 * random so that many clients refused together do not come back together.
 */
public final class HttpRetries {

    public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
    public static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    private final int maxRetries;

    public HttpRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    public int maxRetries() {
        return maxRetries;
    }

    /** Whether an HTTP status says "try again later". */
    public static boolean retryableStatus(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** Whether a transport failure happened before the server got the request: no connection was made. */
    public static boolean beforeRequest(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a transport failure is a connection that ended before the first byte of the answer (closed: the
     * JDK's "header parser received no bytes"; or reset), which a stale pooled connection gives.
     */
    public static boolean closedBeforeAnswer(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (cause instanceof java.io.EOFException || message != null
                    && (message.contains("received no bytes") || message.equals("Connection reset"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The wait before the next attempt after a transport failure, or {@code null} not to retry.
     *
     * @param attempt how many retries were made already
     */
    public Duration afterTransportFailure(Throwable failure, int attempt) {
        if (attempt >= maxRetries) {
            return null;
        }
        if (closedBeforeAnswer(failure)) {
            return attempt == 0 ? Duration.ZERO : backoff(attempt - 1);
        }
        return beforeRequest(failure) ? backoff(attempt) : null;
    }

    /**
     * The wait before the next attempt after an error status, or {@code null} not to retry.
     *
     * @param retryAfter the {@code Retry-After} header, or {@code null}
     * @param attempt    how many retries were made already
     */
    public Duration afterStatus(int status, String retryAfter, int attempt) {
        if (attempt >= maxRetries || !retryableStatus(status)) {
            return null;
        }
        Duration asked = parseRetryAfter(retryAfter, Instant.now());
        if (asked == null) {
            return backoff(attempt);
        }
        return asked.compareTo(MAX_RETRY_AFTER) <= 0 ? asked : null;
    }

    /**
     * What an error message adds about retrying: how many retries were made, or that the server asked for a wait
     * longer than this backend makes.
     */
    public String note(int status, String retryAfter, int attempt) {
        Duration asked = retryableStatus(status) ? parseRetryAfter(retryAfter, Instant.now()) : null;
        if (attempt < maxRetries && asked != null && asked.compareTo(MAX_RETRY_AFTER) > 0) {
            return " (the server asked to retry after " + asked.toSeconds() + " s, longer than the "
                    + MAX_RETRY_AFTER.toSeconds() + " s a backend waits: not retried)";
        }
        return attempts(attempt);
    }

    /** " (tried N times)" after retries, else nothing. */
    public static String attempts(int attempt) {
        return attempt == 0 ? "" : " (tried " + (attempt + 1) + " times)";
    }

    /**
     * A {@code Retry-After} value as a wait from {@code now}: delay-seconds or an HTTP date (RFC 9110 10.2.3), a
     * date in the past as zero; {@code null} when absent or unreadable.
     */
    public static Duration parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(text));
            } catch (NumberFormatException tooLong) {
                return Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L); // far beyond the cap
            }
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    /** 0.5 s doubling per attempt up to 8 s, less up to a fifth at random. */
    public static Duration backoff(int attempt) {
        long millis = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(attempt, 10));
        return Duration.ofMillis(millis - ThreadLocalRandom.current().nextLong(millis / 5 + 1));
    }
}
