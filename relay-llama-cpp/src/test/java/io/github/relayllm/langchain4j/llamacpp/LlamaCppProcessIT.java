package io.github.relayllm.langchain4j.llamacpp;

import io.github.relayllm.langchain4j.TinyModelFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.github.relayllm.langchain4j.TinyModelFiles.STUDENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What java-llama.cpp 4.2.0 does to a whole process, seen from child JVMs running {@link LlamaCppChildMain}: its
 * stdout, its native library folder, and whether the JVM exits.
 */
class LlamaCppProcessIT {

    /** A running child JVM and the lines it printed so far. */
    private record Child(Process process, List<String> lines) {

        boolean printedResult() {
            return lines.stream().anyMatch(line -> line.startsWith("RESULT "));
        }

        String line(String prefix) {
            return lines.stream().filter(line -> line.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length());
        }
    }

    private static Child start(String log, String ending) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LlamaCppChildMain.class.getName(), TinyModelFiles.file(STUDENT).toString(), log, ending)
                .redirectErrorStream(true)
                .start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture.runAsync(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("READ FAILED " + e);
            }
        });
        return new Child(process, lines);
    }

    private static Child finish(Child child) throws InterruptedException {
        boolean exited = child.process().waitFor(120, TimeUnit.SECONDS);
        assertThat(exited).as("child exited; it printed %s", child.lines()).isTrue();
        Thread.sleep(200); // the reader drains the last lines
        assertThat(child.process().exitValue()).as("exit code; output %s", child.lines()).isZero();
        return child;
    }

    private static Child quiet;
    private static Child quietInParallel;
    private static Child logged;

    @BeforeAll
    static void runChildren() throws Exception {
        // two quiet JVMs load the engine at the same moment, a third with the engine's log on
        quiet = start("quiet", "exit");
        quietInParallel = start("quiet", "exit");
        logged = start("log", "exit");
        finish(quiet);
        finish(quietInParallel);
        finish(logged);
    }

    @Test
    void should_keep_stdout_quiet_unless_the_engine_log_is_asked_for() {
        // then: without disableLog() the engine prints ~240 lines per load (SLF4J's own notice aside: no binding here)
        List<String> quietLines = quiet.lines().stream()
                .filter(line -> !line.isBlank() && !line.startsWith("SLF4J")).toList();
        assertThat(quietLines).as("stdout of a quiet child").hasSizeLessThanOrEqualTo(3)
                .allSatisfy(line -> assertThat(line).matches("(Extracted 'libjllama.so' to .*|RESULT .*|NATIVE_DIR .*)"));
        assertThat(logged.lines()).as("stdout with engineLog(true)").hasSizeGreaterThan(100);
        assertThat(quiet.line("RESULT ")).isEqualTo(logged.line("RESULT "));
    }

    @Test
    void should_give_parallel_jvms_their_own_native_library_folder() {
        // then: neither overwrote nor deleted the other's libjllama.so in the shared java.io.tmpdir
        Path firstDir = Path.of(quiet.line("NATIVE_DIR "));
        Path secondDir = Path.of(quietInParallel.line("NATIVE_DIR "));
        assertThat(firstDir).isNotEqualTo(secondDir);
        assertThat(firstDir.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
        assertThat(quiet.line("RESULT ")).isNotBlank().isEqualTo(quietInParallel.line("RESULT "));
        assertThat(firstDir).as("deleted when the JVM exits").doesNotExist();
        assertThat(secondDir).as("deleted when the JVM exits").doesNotExist();
    }

    @Test
    void should_need_system_exit_because_the_engine_thread_keeps_the_jvm_alive() throws Exception {
        // when: main closes the backend and returns without System.exit
        Child returning = start("quiet", "return");
        try {
            for (int i = 0; i < 1200 && !returning.printedResult(); i++) {
                Thread.sleep(50);
            }
            assertThat(returning.printedResult()).as("child answered; output %s", returning.lines()).isTrue();

            // then: java-llama.cpp 4.2.0's non-daemon engine thread outlives close(), so the JVM does not exit
            // (the class Javadoc tells command-line programs to call System.exit; if this fails, the engine
            // was fixed and the Javadoc can say so)
            assertThat(returning.process().waitFor(3, TimeUnit.SECONDS)).isFalse();
        } finally {
            returning.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
