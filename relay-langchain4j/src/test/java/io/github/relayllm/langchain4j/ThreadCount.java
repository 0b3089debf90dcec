package io.github.relayllm.langchain4j;

import java.util.Map;
import java.util.Set;

/** The live threads a leak check looks at: the HTTP clients' threads, and any thread still in relay code. */
record ThreadCount(int httpThreads) {

    private static final Set<String> TEST_SERVERS = Set.of(FaultServer.class.getName(),
            LoopbackModels.class.getName());

    static ThreadCount now() {
        int http = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (thread.isAlive() && (name.startsWith("HttpClient-") || name.startsWith("relay-http-"))) {
                http++;
            }
        }
        return new ThreadCount(http);
    }

    /**
     * Whether no thread but the caller runs the relay's code (test servers aside): no request is left running. The
     * backends' shared cancellation watch waiting idle, with no request to watch, is not a request.
     */
    static boolean noneInRelayCode() {
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            if (entry.getKey() == Thread.currentThread() || idleCancelWatch(entry.getValue())) {
                continue;
            }
            for (StackTraceElement frame : entry.getValue()) {
                String type = frame.getClassName();
                int nested = type.indexOf('$');
                String outer = nested < 0 ? type : type.substring(0, nested);
                if (type.startsWith("io.github.relayllm.") && !TEST_SERVERS.contains(outer)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The HTTP backends' cancellation watch thread, waiting for something to watch (it ends after a while). */
    static boolean idleCancelWatch(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals("io.github.relayllm.langchain4j.internal.http.HttpWaitWatch")
                    && frame.getMethodName().equals("idle")) {
                return true;
            }
        }
        return false;
    }
}
