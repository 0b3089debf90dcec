package io.github.relayllm.samples.agent;

import dev.langchain4j.model.chat.ChatModel;
import io.github.relayllm.langchain4j.RelayChatLanguageModel;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.samples.ScriptedBackend;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.github.relayllm.samples.ScriptedBackend.call;
import static io.github.relayllm.samples.ScriptedBackend.eos;
import static io.github.relayllm.samples.ScriptedBackend.length;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayAgentTest {

    private static final String ANSWER_START = "<|im_start|>assistant\n<think>\n\n</think>\n\n";

    /**
     * A tool-using student (the tiny models never learned tools): it calls multiply, handing the arguments to the
     * teacher, then add, then answers, handing the number to the teacher.
     */
    private static Completion student(String prompt) {
        String answer = prompt.substring(prompt.lastIndexOf(ANSWER_START) + ANSWER_START.length());
        int results = prompt.split("<tool_response>", -1).length - 1;
        if (results == 0) {
            return answer.isEmpty() ? call("<tool_call>\n{\"name\": \"multiply\", \"arguments\": <call>16</call>")
                    : eos("}\n</tool_call>");
        }
        if (results == 1) {
            return eos("<tool_call>\n{\"name\": \"add\", \"arguments\": {\"a\": 7006652, \"b\": 91}}\n</tool_call>");
        }
        return answer.isEmpty() ? call("1234 * 5678 + 91 = <call>4</call>") : eos(".");
    }

    private static Completion teacher(String prompt) {
        return prompt.endsWith("\"arguments\": ") ? length("{\"a\": 1234, \"b\": 5678}") : length("7006743");
    }

    @Test
    void should_run_tool_turns_and_print_the_tools_the_answer_and_the_relay_numbers() {
        // given
        ScriptedBackend student = new ScriptedBackend("student", RelayAgentTest::student);
        ScriptedBackend teacher = new ScriptedBackend("teacher", RelayAgentTest::teacher);
        ChatModel model = RelayChatLanguageModel.builder().student(student).teacher(teacher).build();
        RelayAgent.Calculator calculator = new RelayAgent.Calculator();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        // when
        RelayAgent.chat(RelayAgent.assistant(model, calculator, true), List.of(RelayAgent.TOOLS_QUESTION),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        // then
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(calculator.calls).containsExactly("multiply(1234, 5678)", "add(7006652, 91)");
        assertThat(out).contains("You:   What is 1234 * 5678, plus 91?",
                "Tool:  multiply{\"a\":1234,\"b\":5678} -> 7006652",
                "Tool:  add{\"a\":7006652,\"b\":91} -> 7006743",
                "Agent: 1234 * 5678 + 91 = 7006743.");
        assertThat(out).containsPattern("\\(3 model call\\(s\\), 2 tool call\\(s\\); student \\d+ tokens, teacher \\d+ "
                + "tokens, call ratio \\d+\\.\\d%, teacher rounds 2\\)");
        assertThat(student.prompts.get(0)).contains("<tools>", "\"name\": \"multiply\"", "\"name\": \"subtract\"");
        assertThat(out).doesNotContain("<call>").doesNotContain("<tool_call>");
    }

    @Test
    void should_keep_the_conversation_in_memory_across_questions() {
        // given
        ScriptedBackend student = new ScriptedBackend("student", prompt -> eos("#### 300"));
        ChatModel model = RelayChatLanguageModel.builder().student(student).teacher(student).build();

        // when
        RelayAgent.chat(RelayAgent.assistant(model, new RelayAgent.Calculator(), false),
                List.of("first question", "second question"), new PrintStream(new ByteArrayOutputStream()));

        // then
        assertThat(student.prompts.get(1)).contains("<|im_start|>user\nfirst question<|im_end|>\n"
                + "<|im_start|>assistant\n#### 300<|im_end|>\n<|im_start|>user\nsecond question<|im_end|>");
        assertThat(student.prompts.get(1)).doesNotContain("<tools>");
    }

    @Test
    void should_answer_a_word_problem_on_the_embedded_pair_without_tools() {
        // given
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        // when
        RelayAgent.run(RelayAgent.Options.parse(new String[0]), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        // then
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("tools off", "You:   " + RelayAgent.EMBEDDED_QUESTION);
        // the exact text depends on the CPU's floating point (README.md): check the relay, not the sums
        assertThat(out).containsPattern("Agent: \\S");
        assertThat(out).containsPattern("\\(1 model call\\(s\\), 0 tool call\\(s\\); student \\d+ tokens");
        assertThat(out).doesNotContain("<call>");
    }

    @Test
    void should_reject_bad_options_with_a_message_that_says_what_to_use() {
        assertThatThrownBy(() -> RelayAgent.Options.parse(new String[] {"--tools", "maybe"}))
                .hasMessageContaining("use on or off");
        assertThatThrownBy(() -> RelayAgent.Options.parse(new String[] {"--student", "ollama:qwen3"}))
                .hasMessageContaining("must look like ollama:http://host:port[/path]:MODEL");
        assertThatThrownBy(() -> RelayAgent.Options.parse(new String[] {"--teacher", "gpt:x"}))
                .hasMessageContaining("must start with ollama:, openai:, llama-cpp: or embedded:");
        assertThatThrownBy(() -> RelayAgent.Options.parse(new String[] {"--verbose"}))
                .hasMessageContaining("unknown option --verbose");
    }
}
