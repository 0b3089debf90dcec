package io.github.relayllm.langchain4j.embedded;

import io.github.relayllm.langchain4j.internal.Checks;
import io.github.relayllm.langchain4j.internal.inprocess.ModelResources;
import io.github.relayllm.langchain4j.llamacpp.LlamaCppCompletionBackend;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny real models that the project trains and ships (artifact {@code io.github.relayllm:relay-tiny-models}):
 * a student, a teacher and a relay student trained to write {@code <call>N</call>}, run in process by
 * {@link LlamaCppCompletionBackend}. They solve short multi-step arithmetic problems in Qwen3 ChatML turns, so a
 * relay runs offline, with no server and no download ({@code models/README.md} is their model card).
 *
 * <pre>{@code
 * LlamaCppCompletionBackend student = EmbeddedModels.relayStudent();   // load every model before the first
 * LlamaCppCompletionBackend teacher = EmbeddedModels.teacher();        // generation (see LlamaCppCompletionBackend)
 * ChatModel model = RelayChatLanguageModel.builder().student(student).teacher(teacher).build();
 * }</pre>
 *
 * Each call loads a new copy of the model: load once and keep it. Models are found, in this order, in the folder
 * named by the system property {@value #MODELS_DIR_PROPERTY} (or the environment variable {@code RELAY_MODELS_DIR}),
 * on the classpath under {@value #RESOURCE_FOLDER}, or in the folder {@code models/} of the working directory (a
 * clone of the project).
 */
public final class EmbeddedModels {

    /** The plain tiny student: fast, weaker; never writes commands. */
    public static final String STUDENT = "tiny-student.gguf";
    /** The tiny teacher: about ten times larger and much more accurate. */
    public static final String TEACHER = "tiny-teacher.gguf";
    /** The tiny student after the cold-start stage: writes {@code <call>N</call>} where it tends to go wrong. */
    public static final String RELAY_STUDENT = "tiny-relay-student.gguf";

    /** Where the {@code relay-tiny-models} artifact puts the files on the classpath. */
    public static final String RESOURCE_FOLDER = "io/github/relayllm/models/";
    /** System property naming a folder that holds the GGUF files; overrides the classpath. */
    public static final String MODELS_DIR_PROPERTY = "relay.models.dir";

    private EmbeddedModels() {
    }

    /** Loads {@value #STUDENT}. */
    public static LlamaCppCompletionBackend student() {
        return load(STUDENT);
    }

    /** Loads {@value #TEACHER}. */
    public static LlamaCppCompletionBackend teacher() {
        return load(TEACHER);
    }

    /** Loads {@value #RELAY_STUDENT}. */
    public static LlamaCppCompletionBackend relayStudent() {
        return load(RELAY_STUDENT);
    }

    /**
     * Loads one of the embedded models by file name ({@link #STUDENT}, {@link #TEACHER}, {@link #RELAY_STUDENT}) with
     * the backend's default settings.
     *
     * @throws IllegalStateException when the model is found nowhere, saying where it looked and what to add
     */
    public static LlamaCppCompletionBackend load(String fileName) {
        return configure(fileName).build();
    }

    /** A backend builder preset to the model's location, for changing threads or context size before loading. */
    public static LlamaCppCompletionBackend.Builder configure(String fileName) {
        Location location = locate(fileName);
        return location.file() != null ? LlamaCppCompletionBackend.builder().modelPath(location.file())
                : LlamaCppCompletionBackend.builder().modelResource(location.resource());
    }

    /** Where an embedded model is: a file, or else a classpath resource. */
    record Location(Path file, String resource) {
    }

    /**
     * Finds an embedded model: in the folder {@value #MODELS_DIR_PROPERTY} (or {@code RELAY_MODELS_DIR}) names, else
     * on the classpath, else in {@code ./models}.
     *
     * @throws IllegalStateException when the model is found nowhere, saying where it looked and what to add
     */
    static Location locate(String fileName) {
        Checks.ensureNotBlank(fileName, "fileName");
        String folder = System.getProperty(MODELS_DIR_PROPERTY, System.getenv("RELAY_MODELS_DIR"));
        if (folder != null && !folder.isBlank()) {
            Path file = Path.of(folder).resolve(fileName);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("embedded model " + fileName + " is not in " + file.getParent()
                        .toAbsolutePath() + " (set by " + MODELS_DIR_PROPERTY + " or RELAY_MODELS_DIR)");
            }
            return new Location(file, null);
        }
        String resource = RESOURCE_FOLDER + fileName;
        if (ModelResources.find(resource, EmbeddedModels.class) != null) {
            return new Location(null, resource);
        }
        Path local = Path.of("models", fileName);
        if (Files.isRegularFile(local)) {
            return new Location(local, null);
        }
        throw new IllegalStateException("embedded model " + fileName + " was found neither on the classpath ("
                + resource + ") nor in " + local.toAbsolutePath() + ": add the dependency "
                + "io.github.relayllm:relay-tiny-models, or set -D" + MODELS_DIR_PROPERTY + "=<folder with the GGUF files>");
    }
}
