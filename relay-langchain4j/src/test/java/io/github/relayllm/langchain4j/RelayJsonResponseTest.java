package io.github.relayllm.langchain4j;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import org.junit.jupiter.api.Test;

import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.call;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.eos;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.length;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JSON response formats: instructed through the prompt, validated, constrained where one completion writes all. */
class RelayJsonResponseTest {

    private static final ResponseFormat RESULT = ResponseFormat.builder().type(dev.langchain4j.model.chat.request
                    .ResponseFormatType.JSON)
            .jsonSchema(JsonSchema.builder().name("Result").rootElement(JsonObjectSchema.builder()
                    .addProperty("answer", new JsonIntegerSchema())
                    .addProperty("steps", JsonArraySchema.builder().items(new JsonIntegerSchema()).build())
                    .addProperty("unit", JsonEnumSchema.builder().enumValues("pens", "marbles").build())
                    .required("answer").additionalProperties(false).build()).build())
            .build();

    private final ScriptedCompletionBackend student = new ScriptedCompletionBackend("student");
    private final ScriptedCompletionBackend teacher = new ScriptedCompletionBackend("teacher");

    private RelayChatLanguageModel model() {
        return RelayChatLanguageModel.builder().student(student).teacher(teacher).build();
    }

    private static ChatRequest ask(ResponseFormat format) {
        return ChatRequest.builder().messages(SystemMessage.from("You solve word problems."),
                UserMessage.from("Ann has 120 pens and buys 30. How many?")).responseFormat(format).build();
    }

    @Test
    void should_instruct_the_schema_in_the_system_turn_and_accept_a_matching_answer_the_models_wrote_together() {
        // given
        student.then(call("{\"answer\": <call>4</call>", 5)).then(eos(", \"unit\": \"pens\"}", 6));
        teacher.then(length("150", 2));

        // when
        ChatResponse response = model().chat(ask(RESULT));

        // then
        assertThat(response.aiMessage().text()).isEqualTo("{\"answer\": 150, \"unit\": \"pens\"}");
        assertThat(student.request(0).prompt()).startsWith("<|im_start|>system\nYou solve word problems.\n\nAnswer "
                + "with one JSON value and nothing else: no explanation, no code fence. It must match this JSON "
                + "schema:\n{\"type\": \"object\", \"properties\": {\"answer\": {\"type\": \"integer\"}");
        assertThat(student.request(0).jsonSchema()).isNull(); // the teacher continues what the student began
        assertThat(teacher.request(0).jsonSchema()).isNull();
    }

    @Test
    void should_remove_a_code_fence_around_the_json() {
        // given
        student.then(eos("```json\n{\"answer\": 150}\n```", 9));

        // when
        ChatResponse response = model().chat(ask(RESULT));

        // then
        assertThat(response.aiMessage().text()).isEqualTo("{\"answer\": 150}");
    }

    @Test
    void should_throw_naming_what_does_not_match_the_schema_and_keep_the_answer() {
        // given
        student.then(eos("{\"answer\": \"150\", \"steps\": [1, \"x\"], \"unit\": \"cats\", \"extra\": 1}", 9));

        // when / then
        assertThatThrownBy(() -> model().chat(ask(RESULT)))
                .isInstanceOf(RelayResponseFormatException.class)
                .hasMessageContaining("does not match the JSON schema: $.answer must be an integer; "
                        + "$.steps[1] must be an integer; $.unit must be one of [pens, marbles]; "
                        + "$.extra is not allowed (no additional properties)")
                .satisfies(e -> assertThat(((RelayResponseFormatException) e).answer()).contains("\"cats\""));
    }

    @Test
    void should_throw_when_the_answer_is_not_json_saying_what_ended_it() {
        // given
        student.then(length("{\"answer\": 15", 5));
        RelayChatLanguageModel model = RelayChatLanguageModel.builder().student(student).teacher(teacher)
                .maxTokens(5).build();

        // when / then
        assertThatThrownBy(() -> model.chat(ask(RESULT)))
                .isInstanceOf(RelayResponseFormatException.class)
                .hasMessageContaining("the relay's answer is not valid JSON")
                .hasMessageContaining("the answer ended with MAX_TOKENS")
                .hasMessageEndingWith("): {\"answer\": 15");
    }

    @Test
    void should_ask_for_a_json_object_in_plain_json_mode() {
        // given
        student.then(eos("[1, 2]", 4)).then(eos("{\"n\": 1}", 4));
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("q"))
                .responseFormat(ResponseFormat.JSON).build();

        // when / then
        assertThatThrownBy(() -> model().chat(request)).hasMessageContaining("$ must be an object");
        assertThat(student.request(0).prompt()).startsWith("<|im_start|>system\nAnswer with one JSON object and "
                + "nothing else");
        assertThat(model().chat(request).aiMessage().text()).isEqualTo("{\"n\": 1}");
    }

    record PenCount(int answer, String unit) {
    }

    interface Extractor {
        PenCount count(String problem);
    }

    @Test
    void should_give_an_AiServices_structured_output_its_schema_and_parse_the_answer() {
        // given: AiServices sees RESPONSE_FORMAT_JSON_SCHEMA and sends the record's schema as the response format
        student.then(call("{\"answer\": <call>4</call>", 5)).then(eos(", \"unit\": \"pens\"}", 6));
        teacher.then(length("150", 2));
        Extractor extractor = dev.langchain4j.service.AiServices.create(Extractor.class, model());

        // when
        PenCount count = extractor.count("Ann has 120 pens and buys 30. How many?");

        // then
        assertThat(count).isEqualTo(new PenCount(150, "pens"));
        assertThat(student.request(0).prompt()).contains("It must match this JSON schema:\n{\"type\": \"object\", "
                + "\"properties\": {\"answer\": {\"type\": \"integer\"}, \"unit\": {\"type\": \"string\"}}");
    }

    @Test
    void should_constrain_a_completion_that_writes_the_whole_answer() {
        // given
        teacher.then(eos("{\"answer\": 150}", 6));
        RelayChatLanguageModel teacherOnly = RelayChatLanguageModel.builder().teacher(teacher)
                .callPolicy(CallPolicy.teacherOnly()).build();
        student.then(eos("{\"answer\": 150}", 6));
        RelayChatLanguageModel studentOnly = RelayChatLanguageModel.builder().student(student)
                .callPolicy(CallPolicy.never()).build();

        // when
        teacherOnly.chat(ask(RESULT));
        studentOnly.chat(ask(RESULT));

        // then
        String schema = "{\"type\": \"object\", \"properties\": {\"answer\": {\"type\": \"integer\"}, \"steps\": "
                + "{\"type\": \"array\", \"items\": {\"type\": \"integer\"}}, \"unit\": {\"type\": \"string\", "
                + "\"enum\": [\"pens\", \"marbles\"]}}, \"required\": [\"answer\"], \"additionalProperties\": false}";
        assertThat(teacher.request(0).jsonSchema()).isEqualTo(schema);
        assertThat(student.request(0).jsonSchema()).isEqualTo(schema);
    }
}
