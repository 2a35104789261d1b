package io.quasid.cli;

import io.quasid.core.io.ItemList;
import io.quasid.core.io.Json;
import io.quasid.core.io.Npy;
import io.quasid.core.sid.SidCsv;
import io.quasid.core.sid.SidMetrics;
import io.quasid.core.sid.SidStats;
import io.quasid.core.sid.SidTable;
import io.quasid.spi.Embeddings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quasid stats}: the SID quality metrics of METHOD.md §5 as one JSON object. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Print the SID quality metrics of an SID table as one JSON object.")
final class StatsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--sids", required = true, description = "SID table: CSV with header item_id,c1,...,cL.")
    Path sids;

    @Option(names = "--codes", description = "Codebook size K per level (default: from <sids>.meta.json, else the largest code + 1).")
    Integer codes;

    @Option(names = "--embeddings", description = "Item embeddings (.npy) for the entangled-pairs metric.")
    Path embeddings;

    @Option(names = "--items", description = "Item id of each embedding row, one a line (default: <embeddings>.items.txt).")
    Path items;

    @Option(names = "--radius", description = "Entangled pairs: SIDs differing in at most R levels (default: ${DEFAULT-VALUE}).")
    int radius = 1;

    @Option(names = "--entangled-threshold", description = "Entangled pairs: content cosine similarity below this (default: ${DEFAULT-VALUE}).")
    double threshold = 0.5;

    @Override
    public Integer call() {
        SidTable table = SidCsv.read(sids);
        if (codes != null) {
            int least = SidTable.minimumCodes(table.sids());
            if (codes < least || codes > SidCsv.MAX_CODES) {
                throw new IllegalArgumentException("--codes = " + codes + " is out of range: " + sids
                        + " uses codes up to " + (least - 1) + ", so K must be in [" + least + ", " + SidCsv.MAX_CODES + "]");
            }
            table = table.withCodes(codes);
        }
        SidStats stats = SidMetrics.compute(table);
        if (embeddings != null) {
            Embeddings aligned = ItemEmbeddings.aligned(table.items(), Npy.read(embeddings),
                    items != null ? items : ItemList.itemsFile(embeddings));
            stats = stats.withEntangled(SidMetrics.entanglement(table, aligned, radius, threshold));
        }
        spec.commandLine().getOut().println(Json.toString(stats));
        return 0;
    }
}
