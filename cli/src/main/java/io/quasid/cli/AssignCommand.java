package io.quasid.cli;

import io.quasid.core.Devices;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.Hashes;
import io.quasid.core.io.ItemList;
import io.quasid.core.io.Json;
import io.quasid.core.io.Npy;
import io.quasid.core.plugin.PluginFolder;
import io.quasid.core.plugin.SavedTokenizer;
import io.quasid.core.sid.SidCsv;
import io.quasid.core.sid.SidTable;
import io.quasid.core.sid.StableAssignment;
import io.quasid.spi.Embeddings;
import io.quasid.spi.Tokenizer;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quasid assign}: SIDs for items with a trained tokenizer, keeping a published table's SIDs: published
 * items keep their codes and de-duplication codes, new ones get the tokenizer's codes and the next free
 * de-duplication code (ARCHITECTURE.md, "SIDs over time").
 */
@Command(name = "assign", mixinStandardHelpOptions = true,
        description = "Assign SIDs to the items of an embeddings file with a trained tokenizer; the items of --published keep"
                + " their SIDs, new items get the tokenizer's codes and the next free de-duplication code. Writes --out/sids.csv"
                + " (with sids.meta.json) at once and prints a summary of the new items' collisions with published SIDs.")
final class AssignCommand implements Callable<Integer> {
    private static final Set<String> OWN = Set.of("sids.csv", "sids.meta.json");

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "A tokenizer's folder, as tokenize wrote it (its model/ and sids.meta.json).")
    Path model;

    @Option(names = "--embeddings", required = true, description = "Item embeddings (.npy) of the items to assign.")
    Path embeddings;

    @Option(names = "--items", description = "Item id of each embedding row, one a line (default: <embeddings>.items.txt).")
    Path items;

    @Option(names = "--published", description = "The published SID table (CSV with d) whose items keep their SIDs (default: none, every item is new).")
    Path published;

    @Option(names = "--out", required = true, description = "Output folder: new, or one an earlier assign wrote (it is replaced at once).")
    Path out;

    @Option(names = "--plugin-dir", description = "Folder of plugin jars, for a tokenizer that is not built in.")
    Path pluginDir;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() throws Exception {
        AtomicFiles.requireReplaceable(out, OWN, "an assignment's outputs");
        String name = SavedTokenizer.name(model);
        SidTable before = published == null ? null : SidCsv.read(published); // a bad table fails before any work
        Embeddings matrix = Npy.read(embeddings);
        List<String> ids = ItemList.rowIds(matrix, items != null ? items : ItemList.itemsFile(embeddings));
        ClassLoader host = getClass().getClassLoader();
        StableAssignment.Result result;
        try (URLClassLoader jars = PluginFolder.classLoader(pluginDir, host);
             Tokenizer tokenizer = SavedTokenizer.load(model, jars, Devices.resolve(device))) {
            result = StableAssignment.extend(before, new SidTable(ids, tokenizer.assign(matrix), tokenizer.shape()));
        }
        Map<String, Object> written = StableAssignment.metadata(name, result.table().shape(), result.summary(), model, published, Hashes.of(matrix));
        AtomicFiles.writeDirectory(out, tmp -> {
            SidCsv.write(tmp.resolve("sids.csv"), result.table());
            Json.write(SidCsv.metadataFile(tmp.resolve("sids.csv")), written);
        });
        Map<String, Object> printed = new LinkedHashMap<>(result.summary().json());
        printed.put("sids_file", out.resolve("sids.csv").toString());
        spec.commandLine().getOut().println(Json.toString(printed));
        return 0;
    }

}
