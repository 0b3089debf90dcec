package io.github.relayllm.langchain4j.bench;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.RelayChatLanguageModel;
import io.github.relayllm.langchain4j.RelayResponseMetadata;
import io.github.relayllm.langchain4j.TinyModelFiles;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.embedded.EmbeddedModels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbers for {@code docs/benchmarks.md}, section "Same answers with and without a teacher cap": on the embedded
 * pair, how often a {@code maxTeacherTokens} cap of 200 (never reached here) or a model without its prompt cache
 * changes the answer, and how many distinct answers the quickstart question gets over repeated runs.
 * <p>
 * Run from the repository root (it finds {@code models/} from the working directory up):
 * <pre>
 * mvn -B -q -pl relay-langchain4j test-compile org.codehaus.mojo:exec-maven-plugin:exec -Dexec.executable=java \
 *     -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath io.github.relayllm.langchain4j.bench.TeacherCapAnswersBenchmark 100 30"
 * </pre>
 * Arguments (optional): held-out problems (default 100), runs of the quickstart question (default 30), and a
 * temperature; without one no temperature is set, as in a new user's application (the in-process backend is then
 * greedy). {@code 0.8} is what the engine sampled at before that, when a request set none.
 */
public final class TeacherCapAnswersBenchmark {

    private static final String QUICKSTART_QUESTION =
            "A school has 923 coins. First it loses 74. Then it gives 25. Finally it buys 44. How many now?";
    private static final int CAP = 200;
    private static final Pattern QUESTION = Pattern.compile("\"question\":\\s*\"([^\"]*)\"");

    private TeacherCapAnswersBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int problems = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Double temperature = args.length > 2 ? Double.valueOf(args[2]) : null;
        Path models = TinyModelFiles.folder();
        if (System.getProperty(EmbeddedModels.MODELS_DIR_PROPERTY) == null) {
            System.setProperty(EmbeddedModels.MODELS_DIR_PROPERTY, models.toString());
        }
        // every model loaded before the first generation, so both keep the prompt cache they are built with
        CompletionBackend student = EmbeddedModels.relayStudent();
        CompletionBackend teacher = EmbeddedModels.teacher();
        CompletionBackend uncachedStudent = EmbeddedModels.configure(EmbeddedModels.RELAY_STUDENT)
                .promptCache(false).build();
        CompletionBackend uncachedTeacher = EmbeddedModels.configure(EmbeddedModels.TEACHER).promptCache(false).build();
        RelayChatLanguageModel uncapped = relay(student, teacher, null, temperature);
        RelayChatLanguageModel capped = relay(student, teacher, CAP, temperature);
        RelayChatLanguageModel uncached = relay(uncachedStudent, uncachedTeacher, null, temperature);

        System.out.printf(Locale.ROOT, "embedded pair (%s + %s), temperature %s, load average at start %s%n",
                EmbeddedModels.RELAY_STUDENT, EmbeddedModels.TEACHER, temperature == null ? "unset" : temperature,
                loadAverage());
        quickstartQuestion("no cap", uncapped, runs);
        quickstartQuestion("max-teacher-tokens " + CAP, capped, runs);

        List<String> questions = heldOut(models.resolve("data/heldout.jsonl"), problems);
        int sameWithCap = 0;
        int sameWithoutCache = 0;
        int mostTeacherTokens = 0;
        for (String question : questions) {
            ChatResponse reference = uncapped.chat(ask(question));
            ChatResponse withCap = capped.chat(ask(question));
            mostTeacherTokens = Math.max(mostTeacherTokens,
                    ((RelayResponseMetadata) withCap.metadata()).teacherTokens());
            if (withCap.aiMessage().text().equals(reference.aiMessage().text())) {
                sameWithCap++;
            }
            if (uncached.chat(ask(question)).aiMessage().text().equals(reference.aiMessage().text())) {
                sameWithoutCache++;
            }
        }
        System.out.printf(Locale.ROOT, "%d held-out problems: same answer with max-teacher-tokens %d %d/%d (at most %d "
                        + "teacher tokens per answer), with the prompt cache off %d/%d%n", questions.size(), CAP,
                sameWithCap, questions.size(), mostTeacherTokens, sameWithoutCache, questions.size());
        System.exit(0); // java-llama.cpp's engine thread would keep the JVM alive
    }

    private static RelayChatLanguageModel relay(CompletionBackend student, CompletionBackend teacher, Integer cap,
                                                Double temperature) {
        return RelayChatLanguageModel.builder().student(student).teacher(teacher).maxTeacherTokens(cap)
                .temperature(temperature).build();
    }

    private static ChatRequest ask(String question) {
        return ChatRequest.builder().messages(UserMessage.from(question)).build();
    }

    private static void quickstartQuestion(String label, RelayChatLanguageModel model, int runs) {
        Set<String> answers = new HashSet<>();
        int right = 0;
        for (int i = 0; i < runs; i++) {
            String answer = model.chat(ask(QUICKSTART_QUESTION)).aiMessage().text();
            answers.add(answer);
            if (answer.endsWith("#### 868")) {
                right++;
            }
        }
        System.out.printf(Locale.ROOT, "quickstart question, %-22s %d/%d runs end in #### 868, %d distinct answers%n",
                label + ":", right, runs, answers.size());
    }

    private static List<String> heldOut(Path file, int limit) throws IOException {
        List<String> questions = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            Matcher matcher = QUESTION.matcher(line);
            if (matcher.find()) {
                questions.add(matcher.group(1));
            }
            if (questions.size() == limit) {
                break;
            }
        }
        return questions;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
