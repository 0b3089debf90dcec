package io.github.relayllm.quarkus.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.relayllm.quarkus.runtime.RelayModelSettings.Backend;

/**
 * Asks one backend whether it can serve: the server answers and lists the model (Ollama {@code /api/tags}, OpenAI
 * {@code /v1/models}), or the GGUF file of the in-process engine is still there. Never sends a completion.
 */
final class BackendProbe {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a probe found: {@code up}, and a message for the health report (never an API key). */
    record Result(boolean up, String message) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();

    Result probe(Backend backend) {
        try {
            return switch (backend.provider()) {
                case OLLAMA -> ollama(backend);
                case OPENAI -> openAi(backend);
                case LLAMA_CPP -> Files.isReadable(backend.modelPath())
                        ? new Result(true, "in process: " + backend.modelPath())
                        : new Result(false, "model file missing: " + backend.modelPath());
            };
        } catch (HttpStatusException e) {
            return new Result(false, backend.provider().configValue() + " at " + backend.displayBaseUrl() + " answered "
                    + e.getMessage());
        } catch (IOException e) {
            return new Result(false, backend.provider().configValue() + " unreachable at " + backend.displayBaseUrl()
                    + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        } catch (RuntimeException e) {
            return new Result(false, "probe failed at " + backend.displayBaseUrl() + ": " + e);
        }
    }

    private Result ollama(Backend backend) throws IOException, InterruptedException {
        JsonNode tags = get(backend, stripSlash(backend.baseUrl()) + "/api/tags");
        List<String> names = new ArrayList<>();
        tags.path("models").forEach(model -> names.add(model.path("name").asText()));
        String wanted = backend.modelName();
        boolean present = names.stream().anyMatch(name -> name.equals(wanted) || name.equals(wanted + ":latest")
                || (wanted.endsWith(":latest") && name.equals(wanted.substring(0, wanted.length() - 7))));
        return present
                ? new Result(true, "ollama at " + backend.displayBaseUrl() + " serves " + wanted)
                : new Result(false, "ollama at " + backend.displayBaseUrl() + " has no model '" + wanted + "' (it has "
                        + names + "): run ollama pull " + wanted);
    }

    private Result openAi(Backend backend) throws IOException, InterruptedException {
        JsonNode models = get(backend, stripSlash(backend.baseUrl()) + "/models");
        List<String> ids = new ArrayList<>();
        models.path("data").forEach(model -> ids.add(model.path("id").asText()));
        return ids.contains(backend.modelName())
                ? new Result(true, "openai at " + backend.displayBaseUrl() + " serves " + backend.modelName())
                : new Result(false, "openai at " + backend.displayBaseUrl() + " does not serve '" + backend.modelName()
                        + "' (it serves " + ids + ")");
    }

    /** A server that answered with an error status. */
    private static final class HttpStatusException extends IOException {
        HttpStatusException(String message) {
            super(message);
        }
    }

    private JsonNode get(Backend backend, String url) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(PROBE_TIMEOUT).GET();
        if (backend.apiKey() != null) {
            request.header("Authorization", "Bearer " + backend.apiKey());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new HttpStatusException("HTTP " + response.statusCode() + " to GET "
                    + url.replaceFirst("^(https?://)[^/@]*@", "$1")); // never a key in the URL's user info
        }
        return JSON.readTree(response.body());
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
