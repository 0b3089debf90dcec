package io.github.relayllm.langchain4j.internal.inprocess;

import java.net.URL;

/** Where the in-process engines and the embedded default find a {@code modelResource}. Not API. */
public final class ModelResources {

    private ModelResources() {
    }

    /**
     * A classpath resource from the thread's context class loader (an application server's or Quarkus' application
     * loader), else the loader of {@code engine} (the library's own); null when neither has it.
     */
    public static URL find(String name, Class<?> engine) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        URL url = context != null ? context.getResource(name) : null;
        return url != null ? url : engine.getClassLoader().getResource(name);
    }
}
