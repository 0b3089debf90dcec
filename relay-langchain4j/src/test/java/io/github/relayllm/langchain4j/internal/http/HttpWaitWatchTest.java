package io.github.relayllm.langchain4j.internal.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HttpWaitWatch}: it interrupts a waiting thread once its deadline passes or its caller cancels, says which,
 * leaves no interrupt behind for the thread to trip on later, and its thread ends when there is nothing to watch.
 */
@Timeout(30)
class HttpWaitWatchTest {

    @AfterEach
    void clear_the_interrupt_flag() {
        Thread.interrupted();
    }

    @Test
    void should_interrupt_a_wait_past_its_deadline_and_say_it_timed_out() {
        // given
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        HttpWaitWatch.Waiter watch = HttpWaitWatch.watch(() -> false, () -> deadline);
        long start = System.nanoTime();

        // when
        boolean interrupted = sleepUntilInterrupted(5_000);

        // then
        assertThat(interrupted).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(90L, 1_000L);
        assertThat(watch.close()).isEqualTo(HttpWaitWatch.Reason.TIMED_OUT);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void should_follow_a_deadline_that_moves_as_bytes_come() {
        // given: the deadline is 150 ms after the last "byte", and bytes come every 50 ms for 600 ms
        long start = System.nanoTime();
        long[] last = {start};
        HttpWaitWatch.Waiter watch = HttpWaitWatch.watch(() -> false,
                () -> last[0] + TimeUnit.MILLISECONDS.toNanos(150));

        // when
        boolean interrupted = false;
        while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(600) && !interrupted) {
            interrupted = sleepUntilInterrupted(50);
            last[0] = System.nanoTime();
        }

        // then
        assertThat(interrupted).isFalse();
        assertThat(watch.close()).isEqualTo(HttpWaitWatch.Reason.NONE);
    }

    @Test
    void should_interrupt_a_wait_its_caller_cancelled_and_say_so() {
        // given
        AtomicBoolean cancelled = new AtomicBoolean();
        HttpWaitWatch.Waiter watch = HttpWaitWatch.watch(cancelled::get,
                () -> System.nanoTime() + TimeUnit.HOURS.toNanos(1));
        cancelled.set(true);

        // when
        boolean interrupted = sleepUntilInterrupted(5_000);

        // then
        assertThat(interrupted).isTrue();
        assertThat(watch.close()).isEqualTo(HttpWaitWatch.Reason.CANCELLED);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void should_leave_no_interrupt_behind_once_closed() {
        // given: a watch closed before its deadline
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        HttpWaitWatch.Waiter watch = HttpWaitWatch.watch(() -> false, () -> deadline);

        // when
        HttpWaitWatch.Reason reason = watch.close();
        boolean interrupted = sleepUntilInterrupted(300);

        // then
        assertThat(reason).isEqualTo(HttpWaitWatch.Reason.NONE);
        assertThat(interrupted).isFalse();
    }

    @Test
    void should_keep_the_callers_own_interrupt() {
        // given: the waiting thread is interrupted by its own code, not by the watch
        HttpWaitWatch.Waiter watch = HttpWaitWatch.watch(() -> false,
                () -> System.nanoTime() + TimeUnit.HOURS.toNanos(1));
        Thread.currentThread().interrupt();

        // when
        HttpWaitWatch.Reason reason = watch.close();

        // then
        assertThat(reason).isEqualTo(HttpWaitWatch.Reason.NONE);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void should_end_its_thread_when_there_is_nothing_to_watch() throws Exception {
        // given: a wait watched and done
        HttpWaitWatch.watch(() -> false, () -> System.nanoTime() + TimeUnit.HOURS.toNanos(1)).close();
        assertThat(watchThreadAlive()).isTrue();

        // when / then: gone within the idle time (5 s) and a poll
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (watchThreadAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(watchThreadAlive()).isFalse();

        // and a later wait starts it again
        long soon = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        HttpWaitWatch.Waiter watch = HttpWaitWatch.watch(() -> false, () -> soon);
        assertThat(sleepUntilInterrupted(5_000)).isTrue();
        assertThat(watch.close()).isEqualTo(HttpWaitWatch.Reason.TIMED_OUT);
    }

    private static boolean watchThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("relay-wait-watch") && thread.isAlive());
    }

    /** Sleeps up to {@code millis}; whether an interrupt ended the sleep (the flag is then clear, as after send). */
    private static boolean sleepUntilInterrupted(long millis) {
        try {
            Thread.sleep(millis);
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }
}
