package io.github.relayllm.quarkus.deployment;

import static io.quarkiverse.langchain4j.deployment.LangChain4jDotNames.CHAT_MODEL;
import static io.quarkiverse.langchain4j.deployment.LangChain4jDotNames.STREAMING_CHAT_MODEL;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.ClassType;
import org.jboss.jandex.DotName;
import org.jboss.jandex.ParameterizedType;
import org.jboss.jandex.Type;

import io.github.relayllm.quarkus.runtime.RelayBackends;
import io.github.relayllm.quarkus.runtime.RelayRecorder;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.langchain4j.deployment.DotNames;
import io.quarkiverse.langchain4j.deployment.items.ChatModelProviderCandidateBuildItem;
import io.quarkiverse.langchain4j.deployment.items.ImplicitlyUserConfiguredChatProviderBuildItem;
import io.quarkiverse.langchain4j.deployment.items.SelectedChatModelProviderBuildItem;
import io.quarkiverse.langchain4j.runtime.NamedConfigUtil;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.bootstrap.classloading.QuarkusClassLoader;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.ShutdownContextBuildItem;

/** Makes the relay a chat model provider of quarkus-langchain4j: {@code quarkus.langchain4j.chat-model.provider=relay}. */
class RelayProcessor {

    static final String FEATURE = "langchain4j-relay";
    static final String PROVIDER = "relay";

    private static final String CONFIG_PREFIX = "quarkus.langchain4j.relay.";
    /** First segments after the prefix that belong to the default model, so can never name a model. */
    private static final Set<String> DEFAULT_MODEL_GROUPS = Set.of("student", "teacher");

    private static final DotName HEALTH_CHECK = DotName.createSimple("org.eclipse.microprofile.health.HealthCheck");
    private static final DotName READINESS = DotName.createSimple("org.eclipse.microprofile.health.Readiness");
    private static final Type LISTENERS = ParameterizedType.create(DotName.createSimple(Instance.class),
            new Type[] { ClassType.create(DotNames.CHAT_MODEL_LISTENER) }, null);
    private static final Type BACKENDS = ClassType.create(DotName.createSimple(RelayBackends.class));

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    void providerCandidates(BuildProducer<ChatModelProviderCandidateBuildItem> candidates) {
        candidates.produce(new ChatModelProviderCandidateBuildItem(PROVIDER));
    }

    /**
     * A named model configured under {@code quarkus.langchain4j.relay.<name>.*} is a relay model even when other
     * providers are present and {@code quarkus.langchain4j.<name>.chat-model.provider} is not set.
     */
    @BuildStep
    void implicitlyConfiguredModels(BuildProducer<ImplicitlyUserConfiguredChatProviderBuildItem> producer) {
        for (String name : namedModelsInConfig(ConfigProvider.getConfig().getPropertyNames())) {
            producer.produce(new ImplicitlyUserConfiguredChatProviderBuildItem(name, PROVIDER));
        }
    }

    /** The {@code <name>}s of the {@code quarkus.langchain4j.relay.<name>.<key>...} properties. */
    static Set<String> namedModelsInConfig(Iterable<String> propertyNames) {
        Set<String> names = new TreeSet<>();
        for (String property : propertyNames) {
            if (!property.startsWith(CONFIG_PREFIX)) {
                continue;
            }
            String rest = property.substring(CONFIG_PREFIX.length());
            String name;
            if (rest.startsWith("\"")) {
                int end = rest.indexOf('"', 1);
                if (end < 0 || end + 1 >= rest.length() || rest.charAt(end + 1) != '.') {
                    continue;
                }
                name = rest.substring(1, end);
            } else {
                int dot = rest.indexOf('.');
                if (dot < 0) {
                    continue; // a setting of the default model, e.g. max-rounds
                }
                name = rest.substring(0, dot);
            }
            if (!DEFAULT_MODEL_GROUPS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void generateBeans(RelayRecorder recorder, List<SelectedChatModelProviderBuildItem> selectedModels,
            Capabilities capabilities, ShutdownContextBuildItem shutdown,
            BuildProducer<SyntheticBeanBuildItem> beans) {
        List<String> configNames = new ArrayList<>();
        for (SelectedChatModelProviderBuildItem selected : selectedModels) {
            if (PROVIDER.equals(selected.getProvider())) {
                configNames.add(selected.getConfigName());
            }
        }
        if (configNames.isEmpty()) {
            return;
        }
        beans.produce(SyntheticBeanBuildItem.configure(RelayBackends.class)
                .scope(Singleton.class)
                .setRuntimeInit()
                .unremovable()
                .startup() // opens every backend before the first request: see RelayBackends
                .supplier(recorder.backends(configNames, shutdown))
                .done());

        boolean metrics = capabilities.isPresent(Capability.METRICS)
                && QuarkusClassLoader.isClassPresentAtRuntime("io.micrometer.core.instrument.MeterRegistry");
        boolean health = capabilities.isPresent(Capability.SMALLRYE_HEALTH);
        for (String configName : configNames) {
            var chatModel = SyntheticBeanBuildItem.configure(CHAT_MODEL)
                    .setRuntimeInit()
                    .defaultBean()
                    .scope(ApplicationScoped.class)
                    .addInjectionPoint(LISTENERS)
                    .addInjectionPoint(BACKENDS)
                    .createWith(recorder.chatModel(configName, metrics));
            addQualifierIfNamed(chatModel, configName);
            beans.produce(chatModel.done());

            var streamingChatModel = SyntheticBeanBuildItem.configure(STREAMING_CHAT_MODEL)
                    .setRuntimeInit()
                    .defaultBean()
                    .scope(ApplicationScoped.class)
                    .addInjectionPoint(LISTENERS)
                    .addInjectionPoint(BACKENDS)
                    .createWith(recorder.streamingChatModel(configName, metrics));
            addQualifierIfNamed(streamingChatModel, configName);
            beans.produce(streamingChatModel.done());

            if (health) {
                beans.produce(SyntheticBeanBuildItem.configure(HEALTH_CHECK)
                        .identifier("relay-readiness-" + configName)
                        .addQualifier(AnnotationInstance.builder(READINESS).build())
                        .scope(ApplicationScoped.class)
                        .setRuntimeInit()
                        .unremovable()
                        .addInjectionPoint(BACKENDS)
                        .createWith(recorder.readinessCheck(configName))
                        .done());
            }
        }
    }

    private static void addQualifierIfNamed(SyntheticBeanBuildItem.ExtendedBeanConfigurator bean, String configName) {
        if (!NamedConfigUtil.isDefault(configName)) {
            bean.addQualifier(AnnotationInstance.builder(ModelName.class).add("value", configName).build());
        }
    }
}
