package io.quasid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.core.Devices;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.Hashes;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.Json;
import io.quasid.core.io.Npy;
import io.quasid.core.plugin.PluginFolder;
import io.quasid.core.plugin.PluginRegistry;
import io.quasid.core.sid.SidCsv;
import io.quasid.core.sid.SidTable;
import io.quasid.core.sid.StableAssignment;
import io.quasid.spi.Embeddings;
import io.quasid.spi.Tokenizer;
import java.net.URLClassLoader;
import java.nio.file.Files;
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
        Path meta = model.resolve("sids.meta.json");
        if (!Files.isDirectory(model.resolve("model")) || !Files.isRegularFile(meta)) {
            throw new InputFileException(model, "is not a tokenizer's folder: expected model/ and sids.meta.json, as tokenize writes them");
        }
        JsonNode about = Json.read(meta);
        String name = about.path("tokenizer").asText("");
        if (name.isEmpty()) {
            throw new InputFileException(meta, "names no tokenizer ('tokenizer' is missing)");
        }
        SidTable before = published == null ? null : SidCsv.read(published); // a bad table fails before any work
        Embeddings matrix = Npy.read(embeddings);
        List<String> ids = ItemEmbeddings.rowIds(matrix, items != null ? items : ItemEmbeddings.itemsFile(embeddings));
        ClassLoader host = getClass().getClassLoader();
        StableAssignment.Result result;
        try (URLClassLoader jars = PluginFolder.classLoader(pluginDir, host)) {
            PluginRegistry registry = PluginRegistry.load(jars, Map.of());
            try (Tokenizer tokenizer = registry.tokenizer(name).load(model.resolve("model"), Devices.resolve(device))) {
                SidTable assigned = new SidTable(ids, tokenizer.assign(matrix), tokenizer.shape());
                result = StableAssignment.extend(before, assigned);
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        StableAssignment.Summary s = result.summary();
        summary.put("published", s.published());
        summary.put("added", s.added());
        summary.put("colliding_with_published", s.collidingWithPublished());
        summary.put("colliding_among_new", s.collidingAmongNew());
        summary.put("shared_prefix", s.sharedPrefix());
        Map<String, Object> written = new LinkedHashMap<>();
        written.put("tokenizer", name);
        written.put("levels", result.table().levels());
        written.put("codes", result.table().shape().codes());
        written.put("model", model.toAbsolutePath().normalize().toString());
        written.put("published", published == null ? null : published.toAbsolutePath().normalize().toString());
        written.put("embeddings_hash", Hashes.of(matrix));
        written.put("assignment", summary);
        AtomicFiles.writeDirectory(out, tmp -> {
            SidCsv.write(tmp.resolve("sids.csv"), result.table());
            Json.write(SidCsv.metadataFile(tmp.resolve("sids.csv")), written);
        });
        Map<String, Object> printed = new LinkedHashMap<>(summary);
        printed.put("sids_file", out.resolve("sids.csv").toString());
        spec.commandLine().getOut().println(Json.toString(printed));
        return 0;
    }

}
