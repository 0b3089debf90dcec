package io.github.relayllm.samples.quarkus;

import io.github.relayllm.langchain4j.RelayBackendException;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.langchain4j.exception.UnsupportedFeatureException;

/**
 * Relay failures as OpenAI-shaped JSON errors instead of a bare HTTP 500: a backend that failed (the student, or the
 * teacher under {@code teacher-failure=fail}) is a 502 whose message names the backend, the server's status and its
 * message (never an API key); a request the relay cannot run is a 400.
 */
public class RelayErrorMapper {

    @ServerExceptionMapper
    public Response backendFailed(RelayBackendException e) {
        return error(Response.Status.BAD_GATEWAY, e.getMessage(), "relay_backend_error");
    }

    @ServerExceptionMapper
    public Response unsupported(UnsupportedFeatureException e) {
        return error(Response.Status.BAD_REQUEST, e.getMessage(), "invalid_request_error");
    }

    private static Response error(Response.Status status, String message, String type) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", Map.of("message", String.valueOf(message), "type", type,
                        "code", status.getStatusCode())))
                .build();
    }
}
