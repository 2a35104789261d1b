package io.quasid.cli;

import io.quasid.ab.ReplayDriver;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.DatasetReader;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.data.UnknownItems;
import io.quasid.core.io.Json;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quasid replay}: sends a data set's held-out test users to a running A/B service; prints the summary. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay held-out test users against an A/B service: lists, exposures, position-based orders; print a JSON summary.")
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, description = "The service, e.g. http://localhost:8080.")
    URI url;

    @Option(names = "--data", required = true, description = "Data set folder (the one the experiment serves).")
    Path data;

    @Option(names = "--experiment", required = true, description = "Experiment id.")
    String experiment;

    @Option(names = "--k", defaultValue = "10", description = "List length (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--concurrency", defaultValue = "8", description = "Users replayed at a time (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the purchase draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--purchase-scale", defaultValue = "0.5",
            description = "a in P(order | held-out item at position r) = min(1, a / log2(r + 2)) (default: ${DEFAULT-VALUE}).")
    double purchaseScale;

    @Option(names = "--users", defaultValue = "0", description = "Replay only the first N test users (0: all; default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--ingestion-key", defaultValue = "${env:QUASID_INGESTION_KEY:-}",
            description = "Sent as X-Ingestion-Key with every event batch, for a service that requires one (default: $QUASID_INGESTION_KEY, else none).")
    String ingestionKey;

    @Override
    public Integer call() throws InterruptedException {
        Dataset dataset = new DatasetReader(UnknownItems.FAIL).read(data);
        ReplayDriver driver = new ReplayDriver(new ReplayDriver.Config(url, experiment, k, concurrency, seed, purchaseScale, users, ingestionKey));
        Map<String, Object> summary = driver.run(new LeaveOneOutSplit(dataset));
        spec.commandLine().getOut().println(Json.toString(summary));
        return ((Number) summary.get("errors")).longValue() == 0 ? 0 : 1;
    }
}
