package io.github.relayllm.samples.agent;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.tool.ToolExecution;
import io.github.relayllm.langchain4j.RelayChatLanguageModel;
import io.github.relayllm.langchain4j.RelayResponseMetadata;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.embedded.BackendSpec;
import io.github.relayllm.langchain4j.embedded.EmbeddedModels;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * An {@code AiServices} agent with {@code @Tool} methods and chat memory whose chat model is the relay: the student
 * writes the answer and the tool calls (in Qwen3's {@code <tool_call>} format), handing spans to the teacher with
 * {@code <call>N</call>}; AiServices runs the tools and sends their results back, turn after turn.
 *
 * <pre>
 * java -jar samples/agent/target/relay-agent.jar ["question" ...] [--student SPEC --teacher SPEC] [--tools on|off]
 * </pre>
 */
public final class RelayAgent {

    /** What the embedded tiny pair can answer: a short arithmetic word problem in the form it was trained on. */
    static final String EMBEDDED_QUESTION = "Ann has 120 pens. First she buys 30. Then she doubles them. How many now?";
    /** A question for a real pair, which the calculator tools answer exactly. */
    static final String TOOLS_QUESTION = "What is 1234 * 5678, plus 91?";

    private RelayAgent() {
    }

    /** The agent's interface: AiServices implements it; {@link Result} carries the tool executions and responses. */
    public interface Assistant {
        Result<String> chat(String question);
    }

    /** The tools: exact integer arithmetic, which language models get wrong. Records each call. */
    public static final class Calculator {

        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Tool("Multiplies two integers and returns the product")
        public long multiply(long a, long b) {
            calls.add("multiply(" + a + ", " + b + ")");
            return a * b;
        }

        @Tool("Adds two integers and returns the sum")
        public long add(long a, long b) {
            calls.add("add(" + a + ", " + b + ")");
            return a + b;
        }

        @Tool("Subtracts b from a and returns the difference")
        public long subtract(long a, long b) {
            calls.add("subtract(" + a + ", " + b + ")");
            return a - b;
        }
    }

    /** The agent: the relay as its chat model, a window of chat memory, and the calculator when {@code tools}. */
    static Assistant assistant(ChatModel model, Calculator calculator, boolean tools) {
        AiServices<Assistant> agent = AiServices.builder(Assistant.class)
                .chatModel(model)
                .chatMemory(MessageWindowChatMemory.withMaxMessages(20));
        if (tools) {
            agent.tools(calculator);
        }
        return agent.build();
    }

    public static void main(String[] args) {
        int status;
        try {
            Options options = Options.parse(args);
            if (options.help) {
                System.out.println(Options.USAGE);
                status = 0;
            } else {
                run(options, System.out);
                status = 0;
            }
        } catch (IllegalArgumentException e) {
            System.err.println("relay-agent: " + e.getMessage());
            System.err.println(Options.USAGE);
            status = 2;
        } catch (RuntimeException e) {
            System.err.println("relay-agent: " + e.getMessage());
            status = 1;
        }
        // java-llama.cpp 4.2.0 leaves a non-daemon native thread running: end the JVM explicitly.
        System.exit(status);
    }

    static void run(Options options, PrintStream out) {
        // both models load before any generation (java-llama.cpp 4.2.0 caches prompts right only then)
        try (CompletionBackend student = options.student.create();
             CompletionBackend teacher = options.teacher.create()) {
            boolean tools = options.tools != null ? options.tools : !options.embedded();
            RelayChatLanguageModel model = RelayChatLanguageModel.builder()
                    .student(student)
                    .teacher(teacher)
                    .maxTokens(options.embedded() ? 512 : 2048)
                    .temperature(options.embedded() ? 0.0 : null) // greedy: the same answer every run
                    .build();
            List<String> questions = !options.questions.isEmpty() ? options.questions
                    : List.of(tools ? TOOLS_QUESTION : EMBEDDED_QUESTION);
            out.println("relay: student " + student.name() + ", teacher " + teacher.name()
                    + ", tools " + (tools ? "on" : "off (the tiny models never learned tools; see README)"));
            chat(assistant(model, new Calculator(), tools), questions, out);
        }
    }

    /** Asks each question in turn (one conversation, so later questions see the earlier ones) and prints it all. */
    static void chat(Assistant assistant, List<String> questions, PrintStream out) {
        for (String question : questions) {
            out.println();
            out.println("You:   " + question);
            Result<String> result = assistant.chat(question);
            for (ToolExecution execution : result.toolExecutions()) {
                out.println("Tool:  " + execution.request().name() + execution.request().arguments() + " -> "
                        + execution.result());
            }
            out.println("Agent: " + (result.content() == null ? "" : result.content().strip()));
            out.println(stats(result));
        }
    }

    /** The relay's numbers summed over every model call of one agent turn (tool turns included). */
    static String stats(Result<String> result) {
        List<ChatResponse> responses = new ArrayList<>(result.intermediateResponses());
        responses.add(result.finalResponse());
        int student = 0;
        int teacher = 0;
        int rounds = 0;
        for (ChatResponse response : responses) {
            if (response != null && response.metadata() instanceof RelayResponseMetadata relay) {
                student += relay.studentTokens();
                teacher += relay.teacherTokens();
                rounds += relay.rounds();
            }
        }
        double ratio = student + teacher == 0 ? 0 : 100.0 * teacher / (student + teacher);
        return String.format(Locale.ROOT, "       (%d model call(s), %d tool call(s); student %d tokens, teacher %d "
                        + "tokens, call ratio %.1f%%, teacher rounds %d)", responses.size(),
                result.toolExecutions().size(), student, teacher, ratio, rounds);
    }

    static final class Options {

        static final String USAGE = """
                usage: java -jar relay-agent.jar ["question" ...] [--student SPEC --teacher SPEC] [--tools on|off]
                  question        one quoted argument per question, asked in order in one conversation
                                  (default: a word problem on the embedded pair, a calculator question otherwise)
                  --student SPEC  ollama:URL:MODEL | openai:URL:MODEL | llama-cpp:PATH | embedded:FILE | java:PATH
                  --teacher SPEC  (same; default: the embedded tiny pair, tiny-relay-student.gguf + tiny-teacher.gguf)
                  --tools on|off  give the agent the calculator tools (default: off on the embedded pair,
                                  whose 384-token context cannot hold the tool definitions; on otherwise)""";

        final List<String> questions = new ArrayList<>();
        BackendSpec student = BackendSpec.parse("embedded:" + EmbeddedModels.RELAY_STUDENT);
        BackendSpec teacher = BackendSpec.parse("embedded:" + EmbeddedModels.TEACHER);
        Boolean tools;
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
                    case "--student" -> options.student = BackendSpec.parse(value(args, ++i, arg), arg);
                    case "--teacher" -> options.teacher = BackendSpec.parse(value(args, ++i, arg), arg);
                    case "--tools" -> {
                        String value = value(args, ++i, arg);
                        if (!value.equals("on") && !value.equals("off")) {
                            throw new IllegalArgumentException("--tools '" + value + "': use on or off");
                        }
                        options.tools = value.equals("on");
                    }
                    default -> {
                        if (arg.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + arg);
                        }
                        if (arg.isBlank()) {
                            throw new IllegalArgumentException("a question is blank");
                        }
                        options.questions.add(arg.strip());
                    }
                }
            }
            return options;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
