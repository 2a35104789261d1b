package io.quasid.cli;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.quasid.ab.Application;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quasid serve}: the Micronaut A/B service until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the A/B-test service (recommendations, events, reports); environment variables QUASID_* and application.yml configure the rest.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", description = "HTTP port (default: 8080, or MICRONAUT_SERVER_PORT; -1 picks a free one).")
    Integer port;

    @Option(names = "--experiments", description = "JSON file of experiments to serve (or QUASID_EXPERIMENTS).")
    Path experiments;

    @Option(names = "--db", description = "JDBC URL of the event store (default: an H2 file in ./ab-events, or QUASID_DB_URL).")
    String db;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Object> properties = new HashMap<>();
        if (port != null) {
            properties.put("micronaut.server.port", port);
        }
        if (experiments != null) {
            properties.put("quasid.experiments", experiments.toString());
        }
        if (db != null) {
            properties.put("quasid.db.url", db);
        }
        ApplicationContext context = Application.start(properties);
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        spec.commandLine().getOut().println("serving on " + server.getURL());
        // Micronaut's own shutdown hook stops the server and then the context on SIGTERM; a second hook
        // closing the context deadlocks with it
        Thread.currentThread().join();
        return 0;
    }
}
