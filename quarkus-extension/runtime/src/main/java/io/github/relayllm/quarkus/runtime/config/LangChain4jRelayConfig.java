package io.github.relayllm.quarkus.runtime.config;

import java.util.Map;

import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.quarkus.runtime.annotations.ConfigDocSection;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

/**
 * The relay models of the application: the default one ({@code quarkus.langchain4j.relay.*}) and named ones
 * ({@code quarkus.langchain4j.relay.<name>.*}), each a student and a teacher backend plus the relay's budgets.
 */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "quarkus.langchain4j.relay")
public interface LangChain4jRelayConfig {

    /**
     * The default relay model, injected without a qualifier.
     */
    @WithParentName
    RelayModelConfig defaultConfig();

    /**
     * Named relay models, injected with {@code @ModelName("<name>")} and used by
     * {@code @RegisterAiService(modelName = "<name>")}. The names {@code student} and {@code teacher} are reserved.
     */
    @ConfigDocSection
    @ConfigDocMapKey("model-name")
    @WithParentName
    Map<String, RelayModelConfig> namedConfig();
}
