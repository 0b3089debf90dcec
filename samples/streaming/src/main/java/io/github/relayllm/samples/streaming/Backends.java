package io.github.relayllm.samples.streaming;

import io.github.relayllm.langchain4j.CompletionBackend;
import io.github.relayllm.langchain4j.EmbeddedModels;
import io.github.relayllm.langchain4j.LlamaCppCompletionBackend;
import io.github.relayllm.langchain4j.OllamaCompletionBackend;
import io.github.relayllm.langchain4j.OpenAiCompletionBackend;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The student and the teacher named on the command line ({@code --student SPEC --teacher SPEC}) or as system
 * properties ({@code -Drelay.student=SPEC -Drelay.teacher=SPEC}); the embedded tiny pair when neither is given.
 * A SPEC is {@code ollama:URL:MODEL}, {@code openai:URL:MODEL} (vLLM, llama-server or any {@code /v1/completions}
 * server; the API key comes from {@code OPENAI_API_KEY} when set), {@code llama-cpp:PATH} (a GGUF file in process)
 * or {@code embedded:FILE} (one of the project's tiny models).
 */
final class Backends {

    static final String STUDENT_PROPERTY = "relay.student";
    static final String TEACHER_PROPERTY = "relay.teacher";

    private static final Pattern URL_THEN_MODEL =
            Pattern.compile("^(https?://[^/:\\s]+(?::\\d+)?(?:/[^:\\s]*)?):(.+)$");

    final CompletionBackend student;
    final CompletionBackend teacher;
    final boolean embedded;

    private Backends(CompletionBackend student, CompletionBackend teacher, boolean embedded) {
        this.student = student;
        this.teacher = teacher;
        this.embedded = embedded;
    }

    /**
     * Connects to (or loads) the two backends. In-process models are all loaded here, before any generation
     * (java-llama.cpp 4.2.0 keeps its prompt cache right only for models loaded before the first inference).
     */
    static Backends open(String studentSpec, String teacherSpec) {
        String student = studentSpec != null ? studentSpec : System.getProperty(STUDENT_PROPERTY);
        String teacher = teacherSpec != null ? teacherSpec : System.getProperty(TEACHER_PROPERTY);
        boolean embedded = student == null && teacher == null;
        return new Backends(
                backend(student != null ? student : "embedded:" + EmbeddedModels.RELAY_STUDENT, "--student"),
                backend(teacher != null ? teacher : "embedded:" + EmbeddedModels.TEACHER, "--teacher"),
                embedded);
    }

    /** Checks a SPEC without connecting, so that a typo fails before a model loads. */
    static void check(String spec, String option) {
        parse(spec, option);
    }

    static CompletionBackend backend(String spec, String option) {
        String[] parts = parse(spec, option);
        return switch (parts[0]) {
            case "ollama" -> OllamaCompletionBackend.builder().baseUrl(parts[1]).modelName(parts[2]).build();
            case "openai" -> OpenAiCompletionBackend.builder().baseUrl(parts[1]).modelName(parts[2])
                    .apiKey(System.getenv("OPENAI_API_KEY")).build();
            case "llama-cpp" -> LlamaCppCompletionBackend.builder().modelPath(Path.of(parts[2])).build();
            default -> EmbeddedModels.load(parts[2]);
        };
    }

    /** {kind, baseUrl or null, model}. */
    private static String[] parse(String spec, String option) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String rest = colon < 0 ? "" : spec.substring(colon + 1);
        switch (kind) {
            case "ollama", "openai" -> {
                Matcher matcher = URL_THEN_MODEL.matcher(rest);
                if (!matcher.matches()) {
                    throw new IllegalArgumentException(option + " '" + spec + "' must look like " + kind
                            + ":http://host:port[/path]:MODEL");
                }
                return new String[] {kind, matcher.group(1), matcher.group(2)};
            }
            case "llama-cpp", "embedded" -> {
                if (rest.isBlank()) {
                    throw new IllegalArgumentException(option + " '" + spec + "' must name a model file: " + kind
                            + ":" + (kind.equals("embedded") ? EmbeddedModels.RELAY_STUDENT : "PATH.gguf"));
                }
                return new String[] {kind, null, rest};
            }
            default -> throw new IllegalArgumentException(option + " '" + spec
                    + "' must start with ollama:, openai:, llama-cpp: or embedded:");
        }
    }
}
