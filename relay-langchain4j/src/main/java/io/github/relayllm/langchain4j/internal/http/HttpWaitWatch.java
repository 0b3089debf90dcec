package io.github.relayllm.langchain4j.internal.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Lets a thread blocked in {@code HttpClient.send} give up when its caller cancels or its server goes quiet for too
 * long: one daemon thread looks at the threads waiting for an answer every {@value #POLL_MILLIS} ms and interrupts
 * those whose caller cancelled or whose deadline passed ({@code send} then drops the exchange and throws
 * {@link InterruptedException}; {@link Waiter#close()} tells which it was). So the backends need no
 * {@code HttpRequest.timeout}, whose timer the JDK registers under a client-wide lock and with a wake-up of the
 * client's selector thread on every call, and which ends at the headers anyway.
 * <p>
 * Why not {@code sendAsync} and a timed wait on its future, which needs no thread: {@code sendAsync} completes its
 * future on {@code CompletableFuture}'s default executor, and where the common pool has fewer than two threads (a
 * machine or container with two CPUs or fewer) that executor starts a new thread for every call. Measured on the
 * 2-core machine: a streamed relay answer through the Quarkus sample cost 7 ms of CPU against 2 ms for the same
 * calls without the relay (docs/benchmarks.md).
 * <p>
 * The watch thread is started on first use, sleeps while nobody waits, and ends after a while with nobody.
 */
final class HttpWaitWatch {

    private static final long POLL_MILLIS = 50;
    private static final long IDLE_EXIT_SECONDS = 5;
    private static final Set<Waiter> WAITING = ConcurrentHashMap.newKeySet();
    private static final Object START = new Object();
    private static volatile Thread watcher;
    private static volatile boolean idle;

    private HttpWaitWatch() {
    }

    /** Why a watch interrupted its thread. */
    enum Reason {
        /** It did not. */
        NONE,
        /** The caller cancelled. */
        CANCELLED,
        /** The deadline passed. */
        TIMED_OUT
    }

    /**
     * Watches the calling thread until {@link Waiter#close()}: it is interrupted once {@code cancelled} is true or
     * {@link System#nanoTime()} passes {@code deadline} (asked again each time: it may move, e.g. with each byte).
     */
    static Waiter watch(BooleanSupplier cancelled, LongSupplier deadline) {
        Waiter waiter = new Waiter(Thread.currentThread(), cancelled, deadline);
        WAITING.add(waiter);
        if (watcher == null || idle) {
            synchronized (START) {
                if (watcher == null) {
                    Thread thread = new Thread(HttpWaitWatch::run, "relay-wait-watch");
                    thread.setDaemon(true);
                    watcher = thread;
                    thread.start();
                } else {
                    LockSupport.unpark(watcher);
                }
            }
        }
        return waiter;
    }

    private static void run() {
        while (!WAITING.isEmpty() || idle()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
            for (Waiter waiter : WAITING) {
                waiter.interruptIfDue();
            }
        }
    }

    /**
     * Waits for a thread to watch; after {@value #IDLE_EXIT_SECONDS} s with none the watch thread ends (a later
     * {@link #watch} starts another), so that an application that stops streaming, or a Quarkus dev-mode reload,
     * does not keep it.
     *
     * @return whether there is a thread to watch; false: this thread is to end
     */
    private static boolean idle() {
        idle = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(IDLE_EXIT_SECONDS);
        while (WAITING.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                synchronized (START) {
                    if (WAITING.isEmpty()) {
                        watcher = null;
                        idle = false;
                        return false;
                    }
                }
                break;
            }
            LockSupport.parkNanos(left);
        }
        idle = false;
        return true;
    }

    /** One thread's wait; {@link #close()} ends it. */
    static final class Waiter {

        private static final int WAITING_STATE = 0;
        private static final int INTERRUPTING = 1;
        private static final int INTERRUPTED = 2;
        private static final int DONE = 3;

        private final Thread thread;
        private final BooleanSupplier cancelled;
        private final LongSupplier deadline;
        private final AtomicInteger state = new AtomicInteger(WAITING_STATE);
        private volatile Reason reason = Reason.NONE;

        private Waiter(Thread thread, BooleanSupplier cancelled, LongSupplier deadline) {
            this.thread = thread;
            this.cancelled = cancelled;
            this.deadline = deadline;
        }

        private void interruptIfDue() {
            Reason due;
            try {
                due = cancelled.getAsBoolean() ? Reason.CANCELLED
                        : System.nanoTime() - deadline.getAsLong() > 0 ? Reason.TIMED_OUT : Reason.NONE;
            } catch (RuntimeException e) {
                due = Reason.NONE;
            }
            if (due != Reason.NONE && state.compareAndSet(WAITING_STATE, INTERRUPTING)) {
                reason = due;
                thread.interrupt();
                state.set(INTERRUPTED);
            }
        }

        /**
         * Ends the watch; call it on the waiting thread, whatever {@code send} did.
         *
         * @return why this watch interrupted the thread, or {@link Reason#NONE}; when it did, the thread's interrupt
         * flag is cleared (the interruption was the watch's, not the caller's)
         */
        Reason close() {
            WAITING.remove(this);
            if (state.compareAndSet(WAITING_STATE, DONE)) {
                return Reason.NONE;
            }
            while (state.get() != INTERRUPTED) {
                Thread.onSpinWait();
            }
            Thread.interrupted();
            return reason;
        }
    }
}
