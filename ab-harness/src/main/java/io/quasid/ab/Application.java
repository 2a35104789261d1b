package io.quasid.ab;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import java.util.Map;

/**
 * The A/B service as a plain jar: {@code java -cp quasid.jar io.quasid.ab.Application}. Configuration
 * comes from {@code application.yml}, system properties and environment variables ({@code QUASID_DB_URL},
 * {@code QUASID_EXPERIMENTS}, {@code QUASID_ADMIN_TOKEN}, {@code MICRONAUT_SERVER_PORT}, ...).
 */
public final class Application {
    private Application() {}

    public static void main(String[] args) {
        start(Map.of(), args);
    }

    /** Starts the service with {@code properties} on top of the configuration; close the context to stop it. */
    public static ApplicationContext start(Map<String, Object> properties, String... args) {
        // one intra-op thread per forward pass: each arm scores on its own thread, so arms run in parallel
        // (set before the engine loads)
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
        System.setProperty("ai.djl.pytorch.num_interop_threads", System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        return Micronaut.build(args).mainClass(Application.class).properties(properties).banner(false).start();
    }
}
