package io.github.relayllm.quarkus.runtime;

import io.github.relayllm.langchain4j.RelayBaseBuilder;
import io.github.relayllm.langchain4j.RelayChatLanguageModel;
import io.github.relayllm.langchain4j.RelayStreamingChatLanguageModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.util.TypeLiteral;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import io.github.relayllm.quarkus.runtime.config.LangChain4jRelayConfig;
import io.github.relayllm.quarkus.runtime.config.RelayModelConfig;
import io.github.relayllm.quarkus.runtime.metrics.RelayMetrics;
import io.quarkiverse.langchain4j.runtime.NamedConfigUtil;
import io.quarkus.arc.SyntheticCreationalContext;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.ShutdownContext;
import io.quarkus.runtime.annotations.Recorder;
import io.quarkus.runtime.configuration.ConfigurationException;

/** Builds the relay models of the application from {@code quarkus.langchain4j.relay.*} at runtime init. */
@Recorder
public class RelayRecorder {

    /** The type of the injection point the model beans declare to receive the application's listeners. */
    public static final TypeLiteral<Instance<ChatModelListener>> LISTENERS = new TypeLiteral<>() {
    };

    private final RuntimeValue<LangChain4jRelayConfig> config;

    public RelayRecorder(RuntimeValue<LangChain4jRelayConfig> config) {
        this.config = config;
    }

    /**
     * Checks the configuration of every relay model, failing the start-up with the properties to fix, and returns
     * the supplier of the bean that opens their backends.
     */
    public Supplier<RelayBackends> backends(List<String> configNames, ShutdownContext shutdown) {
        Map<String, RelayModelSettings> settings = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String configName : configNames) {
            try {
                settings.put(configName, RelayConfigValidator.validate(configName, modelConfig(configName)));
            } catch (ConfigurationException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("\n", problems));
        }
        RelayBackends backends = new RelayBackends(settings);
        shutdown.addShutdownTask(backends::close);
        return backends::open;
    }

    public Function<SyntheticCreationalContext<ChatModel>, ChatModel> chatModel(String configName, boolean metrics) {
        return context -> {
            RelayBackends backends = context.getInjectedReference(RelayBackends.class);
            return configure(RelayChatLanguageModel.builder(), backends, configName,
                    listeners(context.getInjectedReference(LISTENERS), configName, metrics)).build();
        };
    }

    public Function<SyntheticCreationalContext<StreamingChatModel>, StreamingChatModel> streamingChatModel(
            String configName, boolean metrics) {
        return context -> {
            RelayBackends backends = context.getInjectedReference(RelayBackends.class);
            return configure(RelayStreamingChatLanguageModel.builder(), backends, configName,
                    listeners(context.getInjectedReference(LISTENERS), configName, metrics)).build();
        };
    }

    /** One readiness check per relay model; called only when the application has SmallRye Health. */
    public Function<SyntheticCreationalContext<Object>, Object> readinessCheck(String configName) {
        return context -> new RelayReadinessCheck(configName, context.getInjectedReference(RelayBackends.class));
    }

    private static <B extends RelayBaseBuilder<?, B>> B configure(B builder, RelayBackends backends,
            String configName, List<ChatModelListener> listeners) {
        RelayModelSettings settings = backends.settings(configName);
        RelayBackends.Pair pair = backends.pair(configName);
        return builder.student(pair.student()).teacher(pair.teacher())
                .callPolicy(settings.callPolicy())
                .maxCallTokens(settings.maxCallTokens())
                .defaultCallTokens(settings.defaultCallTokens())
                .maxRounds(settings.maxRounds())
                .maxTokens(settings.maxTokens())
                .maxTeacherTokens(settings.maxTeacherTokens())
                .teacherFailurePolicy(settings.teacherFailurePolicy())
                .listeners(listeners);
    }

    private static List<ChatModelListener> listeners(Instance<ChatModelListener> beans, String configName,
            boolean metrics) {
        List<ChatModelListener> listeners = new ArrayList<>();
        beans.forEach(listeners::add);
        if (metrics) {
            listeners.add(RelayMetrics.listener(configName));
        }
        return listeners;
    }

    private RelayModelConfig modelConfig(String configName) {
        LangChain4jRelayConfig relay = config.getValue();
        if (NamedConfigUtil.isDefault(configName)) {
            return relay.defaultConfig();
        }
        RelayModelConfig named = relay.namedConfig().get(configName);
        if (named == null) {
            String prefix = RelayConfigValidator.propertyPrefix(configName);
            throw new ConfigurationException("The relay model '" + configName + "' is requested (@ModelName(\""
                    + configName + "\") or @RegisterAiService(modelName = \"" + configName
                    + "\")) but not configured: set one of its budgets or policies to run it on the embedded "
                    + "tiny pair (e.g. " + prefix + ".max-tokens=256), or " + prefix + ".student.provider and " + prefix
                    + ".teacher.provider (and their base-url/model-name or model-path) for other backends");
        }
        return named;
    }
}
