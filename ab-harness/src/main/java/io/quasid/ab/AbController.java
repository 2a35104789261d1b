package io.quasid.ab;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.quasid.core.io.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP face of {@link AbService}; every answer is JSON, every refusal {@code {"status", "error"}}. */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Produces(MediaType.APPLICATION_JSON)
final class AbController {
    private static final Logger LOG = LoggerFactory.getLogger(AbController.class);

    private final AbService service;
    private final String adminToken;
    private final String ingestionKey;

    AbController(AbService service, @Value("${quasid.admin-token:}") String adminToken, @Value("${quasid.ingestion-key:}") String ingestionKey) {
        this.service = service;
        this.adminToken = adminToken;
        this.ingestionKey = ingestionKey;
    }

    @Post(uri = "/recommendations", consumes = MediaType.ALL, processes = MediaType.APPLICATION_JSON)
    HttpResponse<String> recommend(@Body @Nullable String body) {
        return answer(HttpStatus.OK, () -> service.recommend(body));
    }

    @Post(uri = "/events", consumes = MediaType.ALL, processes = MediaType.APPLICATION_JSON)
    HttpResponse<String> events(@Header("X-Ingestion-Key") @Nullable String key, @Body @Nullable String body) {
        return answer(HttpStatus.ACCEPTED, () -> {
            if (!ingestionKey.isEmpty() && (key == null || !equal(key, ingestionKey))) {
                throw new ApiException(401, key == null ? "an ingestion key is required: X-Ingestion-Key: <key>" : "the ingestion key is wrong");
            }
            return service.events(body);
        });
    }

    @Get("/experiments")
    HttpResponse<String> experiments() {
        return answer(HttpStatus.OK, () -> Map.of("experiments", service.experimentIds()));
    }

    @Get("/experiments/{id}/report")
    HttpResponse<String> report(@PathVariable String id) {
        return answer(HttpStatus.OK, () -> service.report(id));
    }

    @Post(uri = "/admin/experiments", consumes = MediaType.ALL, processes = MediaType.APPLICATION_JSON)
    HttpResponse<String> createExperiment(@Header("Authorization") @Nullable String authorization, @Body @Nullable String body) {
        return answer(HttpStatus.CREATED, () -> {
            authorize(authorization);
            return Map.of("experiment", service.createExperiment(body));
        });
    }

    @Post(uri = "/admin/experiments/{id}/items", consumes = MediaType.ALL, processes = MediaType.APPLICATION_JSON)
    HttpResponse<String> addItems(@Header("Authorization") @Nullable String authorization, @PathVariable String id, @Body @Nullable String body) {
        return answer(HttpStatus.OK, () -> {
            authorize(authorization);
            return service.addItems(id, body);
        });
    }

    private void authorize(String authorization) {
        if (adminToken.isEmpty()) {
            throw new ApiException(403, "the admin endpoint is disabled: start the service with QUASID_ADMIN_TOKEN set");
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw new ApiException(401, "an admin token is required: Authorization: Bearer <token>");
        }
        if (!equal(authorization.substring("Bearer ".length()), adminToken)) {
            throw new ApiException(401, "the admin token is wrong");
        }
    }

    /** Compares secrets in time independent of where they differ. */
    private static boolean equal(String given, String secret) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }

    /** The work's answer as JSON; a refusal as its status and message; any other failure as a 500 that shows no internals (it is logged). */
    private static HttpResponse<String> answer(HttpStatus status, Supplier<Object> work) {
        try {
            return HttpResponse.<String>status(status).body(Json.toString(work.get()));
        } catch (ApiException e) {
            return refusal(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            String incident = java.util.UUID.randomUUID().toString();
            LOG.error("incident {}: request failed", incident, e);
            return refusal(500, "internal error (incident " + incident + " in the service log)");
        }
    }

    private static HttpResponse<String> refusal(int status, String message) {
        return HttpResponse.<String>status(HttpStatus.valueOf(status)).body(Json.toString(Map.of("status", status, "error", message)));
    }
}
