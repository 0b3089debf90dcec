package io.github.relayllm.langchain4j.llamacpp;

import dev.langchain4j.exception.UnsupportedFeatureException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LlamaCppJsonSchemasTest {

    /** Schemas llama.cpp's converter turns into grammars ({@code LlamaCppCompletionBackendIT} converts each one). */
    static final List<String> ACCEPTED = List.of(
            "{}",
            "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"integer\"}},\"required\":[\"answer\"],"
                    + "\"additionalProperties\":false}",
            "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"description\":\"who\",\"maxLength\":20},"
                    + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":1,\"maxItems\":3},"
                    + "\"kind\":{\"enum\":[\"a\",\"b\"]},\"when\":{\"type\":\"string\",\"format\":\"date\"},"
                    + "\"score\":{\"type\":[\"number\",\"null\"]},\"ok\":{\"type\":\"boolean\"}},\"required\":[\"name\"]}",
            "{\"$defs\":{\"item\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\",\"minimum\":0}}}},"
                    + "\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/item\"}}",
            "{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\",\"maximum\":9}]}",
            "{\"oneOf\":[{\"const\":\"yes\"},{\"const\":\"no\"}]}",
            "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"number\"}}",
            "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"title\":\"T\",\"type\":\"string\"}");

    /** Schemas the converter would abort the JVM on, or that fall outside the checked subset. */
    static final List<String> REJECTED = List.of(
            "not json",
            "[1,2]",
            "{\"type\":\"foo\"}",
            "{\"$ref\":\"http://example.com/schema.json\"}",
            "{\"$ref\":\"#/$defs/missing\"}",
            "{\"type\":\"string\",\"pattern\":\"[a-z]+\"}",
            "{\"type\":\"string\",\"format\":\"email\"}",
            "{\"type\":\"object\",\"properties\":{\"x\":{\"description\":\"only an annotation\"}}}",
            "{\"type\":\"array\",\"items\":true}",
            "{\"additionalProperties\":true}",
            "{\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\"}]}",
            "{\"not\":{\"type\":\"string\"}}");

    @ParameterizedTest
    @FieldSource("ACCEPTED")
    void should_pass_a_schema_the_engine_converts(String schema) {
        assertThat(LlamaCppJsonSchemas.check(schema, "llama-cpp(m.gguf)")).isEqualTo(schema);
    }

    @ParameterizedTest
    @FieldSource("REJECTED")
    void should_refuse_a_schema_that_would_abort_the_jvm_or_is_unchecked(String schema) {
        assertThatThrownBy(() -> LlamaCppJsonSchemas.check(schema, "llama-cpp(m.gguf)"))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageStartingWith("llama-cpp(m.gguf): the jsonSchema ");
    }
}
