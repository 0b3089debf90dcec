package io.github.relayllm.quarkus.deployment;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.quarkus.test.QuarkusUnitTest;

/** Points a relay model at {@link BackendStub}: an Ollama student and an OpenAI-compatible teacher. */
final class StubConfig {

    private StubConfig() {
    }

    /** {@code prefix} is {@code quarkus.langchain4j.relay} or {@code quarkus.langchain4j.relay.<name>}. */
    static QuarkusUnitTest stubBackends(QuarkusUnitTest test, String prefix) {
        return test
                .overrideConfigKey(prefix + ".student.provider", "ollama")
                .overrideConfigKey(prefix + ".student.base-url", BackendStub.url())
                .overrideConfigKey(prefix + ".student.model-name", BackendStub.STUDENT_MODEL)
                .overrideConfigKey(prefix + ".teacher.provider", "openai")
                .overrideConfigKey(prefix + ".teacher.base-url", BackendStub.url() + "/v1")
                .overrideConfigKey(prefix + ".teacher.model-name", BackendStub.TEACHER_MODEL);
    }

    /** The application archive of a test: the stub and the given classes. */
    static QuarkusUnitTest withClasses(Class<?>... classes) {
        return new QuarkusUnitTest().withApplicationRoot(jar -> jar.addClasses(BackendStub.class, StubConfig.class)
                .addClasses(classes));
    }

    /** Asks {@code model} the stub's question. */
    static ChatResponse ask(ChatModel model) {
        return model.chat(ChatRequest.builder().messages(UserMessage.from("What is 6 x 7?")).build());
    }

    /** The messages of {@code error} and its causes, so a test can find the one that names the property. */
    static String messages(Throwable error) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
