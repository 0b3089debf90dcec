package io.github.relayllm.samples.rag;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.rag.DefaultRetrievalAugmentor;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.injector.ContentInjector;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.github.relayllm.langchain4j.RelayChatLanguageModel;
import io.github.relayllm.langchain4j.RelayResponseMetadata;
import io.github.relayllm.langchain4j.RelayRole;
import io.github.relayllm.langchain4j.RelaySegment;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.embedded.BackendSpec;
import io.github.relayllm.langchain4j.embedded.EmbeddedModels;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Retrieval-augmented answers with the relay as the chat model: facts are embedded in process (all-MiniLM-L6-v2,
 * ONNX) into an in-memory embedding store; for each question the closest fact is retrieved and put in front of it,
 * and the relay answers. The default facts and questions suit the embedded tiny pair, which knows short arithmetic
 * word problems: the fact gives the starting amount, the question the steps.
 *
 * <pre>
 * java -jar samples/rag/target/relay-rag.jar ["question" ...] [--facts FILE] [--student SPEC --teacher SPEC]
 * </pre>
 */
public final class RelayRag {

    /** The knowledge base: one fact a line, each the opening sentence of a word problem. */
    static final List<String> DEFAULT_FACTS = List.of(
            "Ann has 120 pens.",
            "Ben has 128 marbles.",
            "Cara has 45 stickers.",
            "Dan has 730 shells.",
            "Eva has 312 stamps.",
            "Finn has 832 coins.",
            "A bakery has 216 eggs.",
            "A library has 540 books.",
            "A farm has 97 apples.",
            "A club has 251 cards.");

    /** "Subject: steps": the subject finds the fact, the steps follow it. */
    static final String DEFAULT_QUESTION = "Ann's pens: First she buys 30. Then she doubles them. How many now?";

    private RelayRag() {
    }

    /** The assistant: AiServices implements it; {@link Result#sources()} holds the facts it was given. */
    public interface Assistant {
        Result<String> answer(String question);
    }

    /** Embeds every fact (one text segment each) into a new in-memory store. */
    static InMemoryEmbeddingStore<TextSegment> index(List<String> facts, EmbeddingModel embeddingModel) {
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        EmbeddingStoreIngestor.builder()
                .embeddingModel(embeddingModel)
                .embeddingStore(store)
                .documentSplitter((document) -> List.of(document.toTextSegment()))
                .build()
                .ingest(facts.stream().map(Document::from).collect(Collectors.toList()));
        return store;
    }

    /** The assistant: the relay answers, the one closest fact is retrieved for every question. */
    static Assistant assistant(ChatModel model, EmbeddingModel embeddingModel,
                               InMemoryEmbeddingStore<TextSegment> store) {
        EmbeddingStoreContentRetriever retriever = EmbeddingStoreContentRetriever.builder()
                .embeddingStore(store)
                .embeddingModel(embeddingModel)
                .maxResults(1)
                .build();
        return AiServices.builder(Assistant.class)
                .chatModel(model)
                .retrievalAugmentor(DefaultRetrievalAugmentor.builder()
                        .contentRetriever(retriever)
                        .contentInjector(new FactsFirst())
                        .build())
                .build();
    }

    /**
     * Puts the retrieved facts in front of the question, without the question's {@code "Subject: "} prefix, so that
     * the model sees one word problem ("Ann has 120 pens. First she buys 30. ..."), the shape the tiny models know.
     * (LangChain4j's default injector appends "Answer using the following information: ..." instead, which a small
     * model has never seen and which would not fit the tiny pair's 384-token context with many facts.)
     */
    static final class FactsFirst implements ContentInjector {

        @Override
        public ChatMessage inject(List<Content> contents, ChatMessage chatMessage) {
            String question = ((UserMessage) chatMessage).singleText();
            int subject = question.indexOf(": ");
            String steps = subject >= 0 ? question.substring(subject + 2) : question;
            StringBuilder text = new StringBuilder();
            for (Content content : contents) {
                text.append(content.textSegment().text().strip()).append(' ');
            }
            return UserMessage.from(text.append(steps.strip()).toString());
        }
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
            System.err.println("relay-rag: " + e.getMessage());
            System.err.println(Options.USAGE);
            status = 2;
        } catch (RuntimeException e) {
            System.err.println("relay-rag: " + e.getMessage());
            status = 1;
        }
        // java-llama.cpp 4.2.0 leaves a non-daemon native thread running: end the JVM explicitly.
        System.exit(status);
    }

    static void run(Options options, PrintStream out) {
        List<String> facts = options.facts != null ? readFacts(options.facts) : DEFAULT_FACTS;
        // both models load before any generation (java-llama.cpp 4.2.0 caches prompts right only then)
        try (CompletionBackend student = options.student.create();
             CompletionBackend teacher = options.teacher.create()) {
            EmbeddingModel embeddingModel = new AllMiniLmL6V2EmbeddingModel();
            InMemoryEmbeddingStore<TextSegment> store = index(facts, embeddingModel);
            RelayChatLanguageModel model = RelayChatLanguageModel.builder()
                    .student(student)
                    .teacher(teacher)
                    .maxTokens(options.embedded() ? 512 : 2048)
                    .temperature(options.embedded() ? 0.0 : null) // greedy: the same answer every run
                    .build();
            out.println("relay: student " + student.name() + ", teacher " + teacher.name()
                    + "; " + facts.size() + " facts embedded in memory (all-MiniLM-L6-v2)");
            Assistant assistant = assistant(model, embeddingModel, store);
            for (String question : options.questions.isEmpty() ? List.of(DEFAULT_QUESTION) : options.questions) {
                ask(assistant, question, out);
            }
        }
    }

    static void ask(Assistant assistant, String question, PrintStream out) {
        out.println();
        out.println("Q:     " + question);
        Result<String> result = assistant.answer(question);
        for (Content source : result.sources()) {
            out.println("Fact:  " + source.textSegment().text());
        }
        RelayResponseMetadata relay = (RelayResponseMetadata) result.finalResponse().metadata();
        out.println("A:     " + render(relay.segments()).strip().replace("\n", "\n       "));
        out.println(String.format(Locale.ROOT, "       (student %d tokens, teacher %d tokens, call ratio %.1f%%, "
                        + "rounds %d; [teacher: ...] spans were written by the teacher)", relay.studentTokens(),
                relay.teacherTokens(), 100 * relay.callRatio(), relay.rounds()));
    }

    static String render(List<RelaySegment> segments) {
        StringBuilder text = new StringBuilder();
        for (RelaySegment segment : segments) {
            text.append(segment.role() == RelayRole.TEACHER ? "[teacher: " + segment.text() + "]" : segment.text());
        }
        return text.toString();
    }

    private static List<String> readFacts(Path file) {
        try {
            List<String> facts = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    facts.add(line.strip());
                }
            }
            if (facts.isEmpty()) {
                throw new IllegalArgumentException("--facts " + file + " holds no facts (one fact a line)");
            }
            return facts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --facts " + file + ": " + e.getMessage(), e);
        }
    }

    static final class Options {

        static final String USAGE = """
                usage: java -jar relay-rag.jar ["question" ...] [--facts FILE] [--student SPEC --teacher SPEC]
                  question        one quoted argument per question, "Subject: steps" (default: "%s")
                  --facts FILE    the knowledge base, one fact a line (default: 10 built-in facts)
                  --student SPEC  ollama:URL:MODEL | openai:URL:MODEL | llama-cpp:PATH | embedded:FILE | java:PATH
                  --teacher SPEC  (same; default: the embedded tiny pair, tiny-relay-student.gguf + tiny-teacher.gguf)""".formatted(DEFAULT_QUESTION);

        final List<String> questions = new ArrayList<>();
        Path facts;
        BackendSpec student = BackendSpec.parse("embedded:" + EmbeddedModels.RELAY_STUDENT);
        BackendSpec teacher = BackendSpec.parse("embedded:" + EmbeddedModels.TEACHER);
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
                    case "--facts" -> options.facts = Path.of(value(args, ++i, arg));
                    case "--student" -> options.student = BackendSpec.parse(value(args, ++i, arg), arg);
                    case "--teacher" -> options.teacher = BackendSpec.parse(value(args, ++i, arg), arg);
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
