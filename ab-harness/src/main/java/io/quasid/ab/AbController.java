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

/** The HTTP face of {@link AbService}; every answer is JSON, every refusal {@code {"status", "error"}}. */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Produces(MediaType.APPLICATION_JSON)
final class AbController {
    private final AbService service;
    private final String adminToken;

    AbController(AbService service, @Value("${quasid.admin-token:}") String adminToken) {
        this.service = service;
        this.adminToken = adminToken;
    }

    @Post(uri = "/recommendations", consumes = MediaType.ALL, processes = MediaType.APPLICATION_JSON)
    HttpResponse<String> recommend(@Body @Nullable String body) {
        return answer(HttpStatus.OK, () -> service.recommend(body));
    }

    @Post(uri = "/events", consumes = MediaType.ALL, processes = MediaType.APPLICATION_JSON)
    HttpResponse<String> events(@Body @Nullable String body) {
        return answer(HttpStatus.ACCEPTED, () -> service.events(body));
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

    private void authorize(String authorization) {
        if (adminToken.isEmpty()) {
            throw new ApiException(403, "the admin endpoint is disabled: start the service with QUASID_ADMIN_TOKEN set");
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw new ApiException(401, "an admin token is required: Authorization: Bearer <token>");
        }
        byte[] given = authorization.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, adminToken.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "the admin token is wrong");
        }
    }

    private static HttpResponse<String> answer(HttpStatus status, Supplier<Object> work) {
        try {
            return HttpResponse.<String>status(status).body(Json.toString(work.get()));
        } catch (ApiException e) {
            return HttpResponse.<String>status(HttpStatus.valueOf(e.status()))
                    .body(Json.toString(Map.of("status", e.status(), "error", e.getMessage())));
        }
    }
}
