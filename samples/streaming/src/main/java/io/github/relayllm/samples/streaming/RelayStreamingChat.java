package io.github.relayllm.samples.streaming;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.relayllm.langchain4j.RelayResponseMetadata;
import io.github.relayllm.langchain4j.RelayRole;
import io.github.relayllm.langchain4j.RelaySegmentListener;
import io.github.relayllm.langchain4j.RelayStreamingChatLanguageModel;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.embedded.BackendSpec;
import io.github.relayllm.langchain4j.embedded.EmbeddedModels;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A terminal chat on {@link RelayStreamingChatLanguageModel}: each answer streams as the student and the teacher
 * write it, the teacher's spans in colour (or in {@code [teacher: ...]} without colour), thinking dimmed. The
 * student's commands never reach the screen. One question per line; an empty line or end of input quits.
 *
 * <pre>
 * java -jar samples/streaming/target/relay-streaming-chat.jar [--student SPEC --teacher SPEC] [--memory] [--no-color]
 * </pre>
 */
public final class RelayStreamingChat {

    static final String TEACHER_COLOUR = "\u001B[1;35m";
    static final String THINKING_COLOUR = "\u001B[2m";
    static final String RESET = "\u001B[0m";

    private RelayStreamingChat() {
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
                // both models load before any generation (java-llama.cpp 4.2.0 caches prompts right only then)
                try (CompletionBackend student = options.student.create();
                     CompletionBackend teacher = options.teacher.create()) {
                    System.out.println("relay: student " + student.name() + ", teacher " + teacher.name()
                            + (options.embedded() ? " (the embedded tiny pair: ask short arithmetic word problems)" : ""));
                    chat(builder(student, teacher, options.embedded()), System.in, System.out, colour, options.memory,
                            System.console() != null);
                }
                status = 0;
            }
        } catch (IllegalArgumentException e) {
            System.err.println("relay-streaming-chat: " + e.getMessage());
            System.err.println(Options.USAGE);
            status = 2;
        } catch (RuntimeException e) {
            System.err.println("relay-streaming-chat: " + e.getMessage());
            status = 1;
        }
        // java-llama.cpp 4.2.0 leaves a non-daemon native thread running: end the JVM explicitly.
        System.exit(status);
    }

    /** The streaming relay on the two backends, with the budget that fits them. */
    static RelayStreamingChatLanguageModel.Builder builder(CompletionBackend student, CompletionBackend teacher,
                                                           boolean embedded) {
        return RelayStreamingChatLanguageModel.builder()
                .student(student)
                .teacher(teacher)
                .maxTokens(embedded ? 512 : 2048)
                .temperature(embedded ? 0.0 : null); // greedy: the same answer every run
    }

    /**
     * Reads questions from {@code in}, one a line, and streams each answer to {@code out} until an empty line or the
     * end of the input. With {@code memory}, every question sees the conversation so far.
     */
    static void chat(RelayStreamingChatLanguageModel.Builder builder, InputStream in, PrintStream out, boolean colour,
                     boolean memory, boolean prompt) {
        SpanPrinter printer = new SpanPrinter(out, colour);
        RelayStreamingChatLanguageModel model = builder.segmentListener(printer).build();
        List<ChatMessage> conversation = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        while (true) {
            if (prompt) {
                out.print("> ");
                out.flush();
            }
            String line = readLine(reader);
            if (line == null || line.isBlank()) {
                return;
            }
            if (!memory) {
                conversation.clear();
            }
            conversation.add(UserMessage.from(line.strip()));
            ChatResponse response = ask(model, conversation);
            printer.end();
            out.println();
            out.println(stats((RelayResponseMetadata) response.metadata()));
            conversation.add(response.aiMessage());
        }
    }

    /** Streams one answer (the printer shows it as it comes) and waits for the complete response. */
    static ChatResponse ask(RelayStreamingChatLanguageModel model, List<ChatMessage> conversation) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(ChatRequest.builder().messages(conversation).build(), new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the relay was answering", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    static String stats(RelayResponseMetadata relay) {
        return String.format(Locale.ROOT, "   (student %d tokens, teacher %d tokens, call ratio %.1f%%, rounds %d, "
                        + "finish %s)", relay.studentTokens(), relay.teacherTokens(), 100 * relay.callRatio(),
                relay.rounds(), relay.relayFinishReason());
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes each streamed piece as it comes, marking the teacher's spans: a colour, or {@code [teacher: ...]}.
     * Called on the relay's thread; one answer at a time.
     */
    static final class SpanPrinter implements RelaySegmentListener {

        private final PrintStream out;
        private final boolean colour;
        private RelayRole open;
        private boolean thinking;

        SpanPrinter(PrintStream out, boolean colour) {
            this.out = out;
            this.colour = colour;
        }

        @Override
        public synchronized void onPartialSegment(RelayRole role, String text) {
            switchTo(role, false);
            out.print(text);
            out.flush();
        }

        @Override
        public synchronized void onPartialThinking(RelayRole role, String text) {
            switchTo(role, true);
            out.print(text);
            out.flush();
        }

        /** Closes the span that is open, at the end of an answer. */
        synchronized void end() {
            close();
            open = null;
            thinking = false;
        }

        private void switchTo(RelayRole role, boolean inThinking) {
            if (role == open && inThinking == thinking) {
                return;
            }
            close();
            open = role;
            thinking = inThinking;
            if (colour) {
                if (thinking) {
                    out.print(THINKING_COLOUR);
                }
                if (role == RelayRole.TEACHER) {
                    out.print(TEACHER_COLOUR);
                }
            } else if (role == RelayRole.TEACHER) {
                out.print("[teacher: ");
            }
        }

        private void close() {
            if (colour && (open == RelayRole.TEACHER || thinking)) {
                out.print(RESET);
            } else if (!colour && open == RelayRole.TEACHER) {
                out.print("]");
            }
        }
    }

    static final class Options {

        static final String USAGE = """
                usage: java -jar relay-streaming-chat.jar [--student SPEC --teacher SPEC] [--memory] [--no-color]
                  then type one question a line; an empty line or end of input quits
                  --student SPEC  ollama:URL:MODEL | openai:URL:MODEL | llama-cpp:PATH | embedded:FILE | java:PATH
                  --teacher SPEC  (same; default: the embedded tiny pair, tiny-relay-student.gguf + tiny-teacher.gguf)
                  --memory        keep the conversation (the tiny pair's 384-token context fits one question)
                  --no-color      mark teacher spans with [teacher: ...] instead of colour""";

        BackendSpec student = BackendSpec.parse("embedded:" + EmbeddedModels.RELAY_STUDENT);
        BackendSpec teacher = BackendSpec.parse("embedded:" + EmbeddedModels.TEACHER);
        boolean memory;
        boolean noColour;
        boolean help;

        /** Whether both models are the project's tiny ones (small context; greedy, for the same answer every run). */
        boolean embedded() {
            return student.kind() == BackendSpec.Kind.EMBEDDED && teacher.kind() == BackendSpec.Kind.EMBEDDED;
        }

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "-h", "--help" -> options.help = true;
                    case "--memory" -> options.memory = true;
                    case "--no-color", "--no-colour" -> options.noColour = true;
                    case "--student", "--teacher" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(arg + " needs a value");
                        }
                        BackendSpec spec = BackendSpec.parse(args[++i], arg);
                        if (arg.equals("--student")) {
                            options.student = spec;
                        } else {
                            options.teacher = spec;
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + arg
                            + " (questions are read from the input, one a line)");
                }
            }
            return options;
        }
    }
}
