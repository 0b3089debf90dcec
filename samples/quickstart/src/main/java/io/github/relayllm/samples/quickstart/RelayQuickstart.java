package io.github.relayllm.samples.quickstart;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.CallPolicy;
import io.github.relayllm.langchain4j.RelayChatLanguageModel;
import io.github.relayllm.langchain4j.RelayResponseMetadata;
import io.github.relayllm.langchain4j.RelayRole;
import io.github.relayllm.langchain4j.RelaySegment;
import io.github.relayllm.langchain4j.embedded.EmbeddedModels;
import io.github.relayllm.langchain4j.llamacpp.LlamaCppCompletionBackend;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A relay chat on the embedded tiny pair, offline: the relay student answers, the teacher writes the spans the
 * student hands over with {@code <call>N</call>}. Prints the answer with the teacher's spans marked and a stats line.
 *
 * <pre>
 * java -jar samples/quickstart/target/relay-quickstart.jar ["question"] [--mode relay|student|teacher] [--no-color]
 * </pre>
 */
public final class RelayQuickstart {

    static final String DEFAULT_QUESTION =
            "A school has 923 coins. First it loses 74. Then it gives 25. Finally it buys 44. How many now?";

    private static final String TEACHER_COLOUR = "\u001B[1;35m";
    private static final String RESET = "\u001B[0m";

    private RelayQuickstart() {
    }

    public static void main(String[] args) {
        int status;
        try {
            Options options = Options.parse(args);
            if (options.help) {
                System.out.println(Options.USAGE);
                status = 0;
            } else {
                boolean colour = !options.noColour && System.console() != null && System.getenv("NO_COLOR") == null;
                run(options, System.out, colour);
                status = 0;
            }
        } catch (IllegalArgumentException e) {
            System.err.println("relay-quickstart: " + e.getMessage());
            System.err.println(Options.USAGE);
            status = 2;
        } catch (RuntimeException e) {
            System.err.println("relay-quickstart: " + e.getMessage());
            status = 1;
        }
        // java-llama.cpp 4.2.0 leaves a non-daemon native thread running: end the JVM explicitly.
        System.exit(status);
    }

    static void run(Options options, PrintStream out, boolean colour) {
        long start = System.nanoTime();
        // Load every model before the first generation (java-llama.cpp keeps the prompt cache right only then).
        LlamaCppCompletionBackend student = options.mode.equals("teacher") ? null
                : options.mode.equals("student") ? EmbeddedModels.student() : EmbeddedModels.relayStudent();
        LlamaCppCompletionBackend teacher = options.mode.equals("student") ? null : EmbeddedModels.teacher();
        RelayChatLanguageModel model = RelayChatLanguageModel.builder()
                .student(student != null ? student : teacher)
                .teacher(teacher)
                .callPolicy(switch (options.mode) {
                    case "student" -> CallPolicy.never();
                    case "teacher" -> CallPolicy.teacherOnly();
                    default -> CallPolicy.command();
                })
                .maxTokens(512)
                .build();
        Duration load = Duration.ofNanos(System.nanoTime() - start);

        out.println("Q: " + options.question);
        ChatResponse response = model.chat(ChatRequest.builder()
                .messages(UserMessage.from(options.question))
                .build());
        RelayResponseMetadata relay = (RelayResponseMetadata) response.metadata();

        out.println("A: " + render(relay.segments(), colour));
        out.println();
        out.println(stats(relay, load, Duration.ofNanos(System.nanoTime() - start)));
        out.println(colour
                ? "(" + TEACHER_COLOUR + "teacher" + RESET + " spans in colour, the rest by the student)"
                : "([teacher: ...] spans were written by the teacher, the rest by the student)");
    }

    static String render(List<RelaySegment> segments, boolean colour) {
        StringBuilder text = new StringBuilder();
        for (RelaySegment segment : segments) {
            if (segment.role() == RelayRole.TEACHER) {
                text.append(colour ? TEACHER_COLOUR + segment.text() + RESET : "[teacher: " + segment.text() + "]");
            } else {
                text.append(segment.text());
            }
        }
        return text.toString().strip();
    }

    static String stats(RelayResponseMetadata relay, Duration load, Duration total) {
        return String.format(Locale.ROOT,
                "student %d tokens, teacher %d tokens, call ratio %.1f%%, rounds %d, finish %s | "
                        + "time %.2f s (models loaded in %.2f s; student %.2f s, teacher %.2f s)",
                relay.studentTokens(), relay.teacherTokens(), 100 * relay.callRatio(), relay.rounds(),
                relay.relayFinishReason(), seconds(total), seconds(load), seconds(relay.studentLatency()),
                seconds(relay.teacherLatency()));
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    static final class Options {

        static final String USAGE = """
                usage: java -jar relay-quickstart.jar ["question"] [--mode relay|student|teacher] [--no-color]
                  question     a short arithmetic word problem (default: a built-in one)
                  --mode       relay (default): relay student + teacher; student: plain student alone;
                               teacher: teacher alone
                  --no-color   mark teacher spans with [teacher: ...] instead of colour""";

        String question = DEFAULT_QUESTION;
        String mode = "relay";
        boolean noColour;
        boolean help;

        static Options parse(String[] args) {
            Options options = new Options();
            List<String> words = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--no-color", "--no-colour" -> options.noColour = true;
                    case "-h", "--help" -> options.help = true;
                    case "--mode" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("--mode needs a value: relay, student or teacher");
                        }
                        options.mode = args[++i];
                        if (!List.of("relay", "student", "teacher").contains(options.mode)) {
                            throw new IllegalArgumentException("unknown --mode '" + options.mode
                                    + "': use relay, student or teacher");
                        }
                    }
                    default -> {
                        if (args[i].startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + args[i]);
                        }
                        words.add(args[i]);
                    }
                }
            }
            if (!words.isEmpty()) {
                options.question = String.join(" ", words).strip();
                if (options.question.isEmpty()) {
                    throw new IllegalArgumentException("the question is blank");
                }
            }
            return options;
        }
    }
}
