package io.github.relayllm.langchain4j.llamacpp;

import io.github.relayllm.langchain4j.internal.inprocess.ModelResources;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Process-wide state of java-llama.cpp that every {@link LlamaCppCompletionBackend} shares: where the native
 * library is extracted, whether any inference has run yet, and the temp copies of classpath models. The first two are system properties, so they hold for the
 * whole JVM even when this class is loaded by more than one class loader.
 */
final class LlamaCppEngine {

    /** java-llama.cpp's system property for the folder it extracts {@code libjllama.so} into. */
    static final String NATIVE_DIR_PROPERTY = "de.kherud.llama.tmpdir";

    /**
     * Set once a generation ran in this JVM. A system property, not a static field: class loaders that load this
     * class again (Quarkus dev mode and test restarts; java-llama.cpp itself is loaded once, parent-first) must see
     * that the one native engine already ran.
     */
    static final String INFERENCE_STARTED_PROPERTY = "relay.llama.inferenceStarted";
    private static final Map<String, Path> RESOURCE_COPIES = new ConcurrentHashMap<>();

    private LlamaCppEngine() {
    }

    /**
     * Call before the first {@code de.kherud.llama.LlamaModel} is touched. java-llama.cpp extracts its native
     * library to a fixed file name in {@code java.io.tmpdir} and, on start, deletes every {@code llama*} and
     * {@code jllama*} file there, so JVMs started in parallel overwrite (and delete) each other's library. Unless
     * the user chose a folder with {@code -Dde.kherud.llama.tmpdir}, each process gets its own, deleted on exit.
     */
    static synchronized void prepareNativeLibrary() {
        if (System.getProperty(NATIVE_DIR_PROPERTY) != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("relay-llama-" + ProcessHandle.current().pid() + "-");
            dir.toFile().deleteOnExit(); // registered first, so deleted after the library file java-llama.cpp registers
            System.setProperty(NATIVE_DIR_PROPERTY, dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for java-llama.cpp's native library in "
                    + System.getProperty("java.io.tmpdir") + " (set -D" + NATIVE_DIR_PROPERTY + " to a writable folder)", e);
        }
    }

    /** Records that a generation is about to run in this JVM (see {@link #inferenceStarted()}). */
    static void markInferenceStarted() {
        if (!inferenceStarted()) {
            System.getProperties().putIfAbsent(INFERENCE_STARTED_PROPERTY, "true");
        }
    }

    /**
     * Whether any generation has run in this JVM. java-llama.cpp 4.2.0 gives wrong output for a model loaded after
     * that when its prompt cache is reused, so such late-loaded models run without the prompt cache.
     */
    static boolean inferenceStarted() {
        return "true".equals(System.getProperty(INFERENCE_STARTED_PROPERTY));
    }

    /** Copies a classpath resource to a temp file once per process (native code needs a file path). */
    static Path copyOfResource(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        URL url = resourceUrl(name);
        return RESOURCE_COPIES.computeIfAbsent(url.toString(), key -> copy(url, name));
    }

    private static URL resourceUrl(String name) {
        URL url = ModelResources.find(name, LlamaCppEngine.class);
        if (url == null) {
            throw new IllegalArgumentException("modelResource " + name + " is not on the classpath");
        }
        return url;
    }

    private static Path copy(URL url, String name) {
        String fileName = name.substring(name.lastIndexOf('/') + 1);
        try (InputStream in = url.openStream()) {
            Path file = Files.createTempFile("relay-model-", "-" + fileName);
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("modelResource " + name + " cannot be copied to a temp file: " + e.getMessage(), e);
        }
    }
}
