package io.github.relayllm.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.call;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.eos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayChatLanguageModelBuilderTest {

    private final ScriptedCompletionBackend student = new ScriptedCompletionBackend("student");
    private final ScriptedCompletionBackend teacher = new ScriptedCompletionBackend("teacher");

    private RelayChatLanguageModel.Builder relay() {
        return RelayChatLanguageModel.builder().student(student).teacher(teacher);
    }

    private void assertInvalid(UnaryOperator<RelayChatLanguageModel.Builder> settings, String message) {
        assertThatThrownBy(() -> settings.apply(relay()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void should_require_a_student() {
        assertThatThrownBy(() -> RelayChatLanguageModel.builder().teacher(teacher).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("student must be set: RelayChatLanguageModel.builder().student(...)");
    }

    @Test
    void should_require_a_teacher_for_the_command_policy() {
        assertThatThrownBy(() -> RelayChatLanguageModel.builder().student(student).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("teacher must be set for " + CallPolicy.command() + ": RelayChatLanguageModel.builder()"
                        + ".teacher(...), or use callPolicy(CallPolicy.never()) for a student-only model");
    }

    @Test
    void should_require_a_teacher_for_teacherOnly() {
        assertThatThrownBy(() -> RelayChatLanguageModel.builder().callPolicy(CallPolicy.teacherOnly()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("teacher must be set for " + CallPolicy.teacherOnly() + ": RelayChatLanguageModel"
                        + ".builder().teacher(...)");
    }

    @Test
    void should_build_without_teacher_under_never_and_without_student_under_teacherOnly() {
        assertThat(RelayChatLanguageModel.builder().student(student).callPolicy(CallPolicy.never()).build())
                .isNotNull();
        assertThat(RelayChatLanguageModel.builder().teacher(teacher).callPolicy(CallPolicy.teacherOnly()).build())
                .isNotNull();
    }

    @Test
    void should_reject_bad_budgets_naming_the_setting() {
        assertInvalid(b -> b.maxCallTokens(-1), "maxCallTokens must be at least 0 (it is -1)");
        assertInvalid(b -> b.defaultCallTokens(-2), "defaultCallTokens must be at least 0 (it is -2)");
        assertInvalid(b -> b.maxRounds(-1), "maxRounds must be at least 0 (it is -1)");
        assertInvalid(b -> b.maxTokens(0), "maxTokens must be at least 1 (it is 0)");
        assertInvalid(b -> b.maxTeacherTokens(-5), "maxTeacherTokens must be at least 0 (it is -5)");
        assertInvalid(b -> b.defaultCallTokens(300), "defaultCallTokens (300) must not exceed maxCallTokens (256)");
        assertInvalid(b -> b.maxCallTokens(20).defaultCallTokens(30),
                "defaultCallTokens (30) must not exceed maxCallTokens (20)");
        assertInvalid(b -> b.temperature(-0.5), "temperature must be at least 0 (it is -0.5)");
        assertInvalid(b -> b.listeners(Arrays.asList((ChatModelListener) null)), "listeners must not contain null");
    }

    @Test
    void should_lower_the_default_call_tokens_to_a_lower_maxCallTokens() {
        // given
        student.then(call("a<call></call>", 2));
        teacher.then(eos("b", 1));

        // when
        relay().maxCallTokens(20).build().chat("q");

        // then
        assertThat(teacher.request(0).maxTokens()).isEqualTo(20);
    }

    @Test
    void should_take_defaults_from_defaultRequestParameters_and_let_explicit_settings_win() {
        // given
        student.then(eos("a", 1)).then(eos("a", 1));
        ChatRequestParameters defaults = ChatRequestParameters.builder()
                .maxOutputTokens(77).temperature(0.7).modelName("configured").build();

        // when
        RelayChatLanguageModel fromDefaults = relay().defaultRequestParameters(defaults).build();
        fromDefaults.chat("q");
        RelayChatLanguageModel explicit = relay().defaultRequestParameters(defaults).maxTokens(55).temperature(0.1)
                .build();
        explicit.chat("q");

        // then
        assertThat(student.request(0).maxTokens()).isEqualTo(77);
        assertThat(student.request(0).temperature()).isEqualTo(0.7);
        assertThat(fromDefaults.defaultRequestParameters().modelName()).isEqualTo("configured");
        assertThat(student.request(1).maxTokens()).isEqualTo(55);
        assertThat(student.request(1).temperature()).isEqualTo(0.1);
        assertThat(explicit.defaultRequestParameters().maxOutputTokens()).isEqualTo(55);
    }

    @Test
    void should_use_the_documented_defaults() {
        // given
        student.then(call("a<call>9999</call>", 2));
        teacher.then(eos("b", 1));
        RelayChatLanguageModel model = relay().build();

        // when
        model.chat(ChatRequest.builder().messages(UserMessage.from("q")).build());

        // then
        assertThat(student.request(0).maxTokens()).isEqualTo(8192);
        assertThat(student.request(0).prompt()).endsWith("<think>\n\n</think>\n\n");
        assertThat(teacher.request(0).maxTokens()).isEqualTo(256);
        assertThat(teacher.request(0).exactLength()).isFalse();
        assertThat(model.provider()).isEqualTo(ModelProvider.OTHER);
        assertThat(model.listeners()).isEmpty();
        assertThat(model.defaultRequestParameters().maxOutputTokens()).isEqualTo(8192);
        assertThat(model.defaultRequestParameters().modelName()).isEqualTo("relay(student+teacher)");
    }

    @Test
    void should_copy_listeners_defensively() {
        // given
        ChatModelListener listener = new ChatModelListener() {
        };
        List<ChatModelListener> listeners = new java.util.ArrayList<>(List.of(listener));

        // when
        RelayChatLanguageModel model = relay().listeners(listeners).build();
        listeners.clear();

        // then
        assertThat(model.listeners()).containsExactly(listener);
    }

    @Test
    void should_get_its_builder_from_a_registered_factory() {
        assertThat(RelayChatLanguageModel.builder()).isInstanceOf(TestRelayBuilderFactory.MarkedBuilder.class);
    }

    @Test
    void should_read_call_policies_by_name() {
        assertThat(CallPolicy.fromName("command")).isSameAs(CallPolicy.command());
        assertThat(CallPolicy.fromName(" Never ")).isSameAs(CallPolicy.never());
        assertThat(CallPolicy.fromName("TEACHER_ONLY")).isSameAs(CallPolicy.teacherOnly());
        assertThat(CallPolicy.fromName(CallPolicy.teacherOnly().name())).isSameAs(CallPolicy.teacherOnly());
        assertThatThrownBy(() -> CallPolicy.fromName("sometimes"))
                .hasMessageStartingWith("callPolicy 'sometimes' is unknown: use command, never, teacher-only");
    }
}
