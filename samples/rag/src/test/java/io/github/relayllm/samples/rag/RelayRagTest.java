package io.github.relayllm.samples.rag;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.github.relayllm.langchain4j.RelayChatLanguageModel;
import io.github.relayllm.samples.ScriptedBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.github.relayllm.samples.ScriptedBackend.eos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayRagTest {

    private static EmbeddingModel embeddingModel;
    private static InMemoryEmbeddingStore<TextSegment> store;

    @BeforeAll
    static void index() {
        embeddingModel = new AllMiniLmL6V2EmbeddingModel();
        store = RelayRag.index(RelayRag.DEFAULT_FACTS, embeddingModel);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Ann's pens: First she buys 30. Then she doubles them. How many now?  | Ann has 120 pens.",
            "Dan's shells: First he gives 88. Then he loses 25. How many now?     | Dan has 730 shells.",
            "The bakery's eggs: First it sells 94. Then it makes 78. How many now? | A bakery has 216 eggs.",
            "How many books are in the library after it gets 20?                  | A library has 540 books."})
    void should_put_the_closest_fact_before_the_steps_in_the_prompt(String question, String fact) {
        // given
        ScriptedBackend student = new ScriptedBackend("student", prompt -> eos("#### 1"));
        ChatModel model = RelayChatLanguageModel.builder().student(student).teacher(student).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        // when
        RelayRag.ask(RelayRag.assistant(model, embeddingModel, store), question,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        // then
        String steps = question.contains(": ") ? question.substring(question.indexOf(": ") + 2) : question;
        assertThat(student.prompts.get(0)).contains("<|im_start|>user\n" + fact + " " + steps + "<|im_end|>");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Fact:  " + fact, "A:     #### 1");
    }

    @Test
    void should_answer_from_the_retrieved_fact_on_the_embedded_pair() {
        // given
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        // when
        RelayRag.run(RelayRag.Options.parse(new String[0]), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        // then
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("10 facts embedded in memory", "Q:     " + RelayRag.DEFAULT_QUESTION,
                "Fact:  Ann has 120 pens.");
        // the exact text depends on the CPU's floating point (README.md): check the relay, not the sums
        assertThat(out).containsPattern("A:     \\S");
        assertThat(out).containsPattern("student \\d+ tokens, teacher \\d+ tokens, call ratio \\d+\\.\\d%");
        assertThat(out).doesNotContain("<call>");
    }

    @Test
    void should_keep_a_question_without_subject_whole() {
        // given
        Content fact = Content.from("Ann has 120 pens.");

        // when
        UserMessage message = (UserMessage) new RelayRag.FactsFirst().inject(List.of(fact),
                UserMessage.from("She buys 30. How many now?"));

        // then
        assertThat(message.singleText()).isEqualTo("Ann has 120 pens. She buys 30. How many now?");
    }

    @Test
    void should_reject_bad_options_with_a_message_that_says_what_to_use() {
        assertThatThrownBy(() -> RelayRag.Options.parse(new String[] {"--facts"}))
                .hasMessageContaining("--facts needs a value");
        assertThatThrownBy(() -> RelayRag.Options.parse(new String[] {"--teacher", "openai:localhost:8000:m"}))
                .hasMessageContaining("must look like openai:http://host:port[/path]:MODEL");
    }
}
