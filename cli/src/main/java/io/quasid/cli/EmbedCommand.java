package io.quasid.cli;

import io.quasid.core.data.Dataset;
import io.quasid.core.data.DatasetReader;
import io.quasid.core.data.UnknownItems;
import io.quasid.core.embedding.EmbeddingCache;
import io.quasid.core.embedding.ItemText;
import io.quasid.core.embedding.TextEmbedder;
import io.quasid.core.io.ItemList;
import io.quasid.core.io.Json;
import io.quasid.spi.Embeddings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quasid embed}: item text embeddings as .npy, with the item ids of its rows beside it. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed every item's text (title, brand, categories, price) with all-MiniLM-L6-v2 (cached).")
final class EmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Data set folder (P5+RecBole or CSV format).")
    Path data;

    @Option(names = "--out", required = true, description = "Output .npy file; the item ids of its rows go to <out>.items.txt.")
    Path out;

    @Option(names = "--cache", description = "Embedding cache folder (default: ${DEFAULT-VALUE}).")
    Path cache = EmbeddingCache.defaultDir();

    @Option(names = "--threads", description = "Embedding threads (default: the number of cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--unknown-items", description = "Interactions with items absent from the metadata: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    UnknownItems unknownItems = UnknownItems.FAIL;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        Dataset dataset = new DatasetReader(unknownItems).read(data);
        List<String> texts = ItemText.of(dataset.catalogue());
        EmbeddingCache embeddingCache = new EmbeddingCache(cache);
        Embeddings embeddings;
        boolean cached;
        try (TextEmbedder embedder = new TextEmbedder(threads)) {
            cached = Files.isRegularFile(embeddingCache.fileFor(embedder.modelHash(), texts));
            embeddings = embeddingCache.embed(texts, embedder);
        }
        ItemEmbeddings.write(out, dataset.catalogue().ids(), embeddings);
        Path ids = ItemList.itemsFile(out);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("out", out.toString());
        summary.put("items_file", ids.toString());
        summary.put("items", embeddings.rows());
        summary.put("dimension", embeddings.dimension());
        summary.put("model", TextEmbedder.MODEL);
        summary.put("from_cache", cached);
        summary.put("seconds", (System.nanoTime() - start) / 1e9);
        spec.commandLine().getOut().println(Json.toString(summary));
        return 0;
    }
}
