package io.quasid.ab;

import ai.djl.Device;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.quasid.core.data.DatasetReader;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.data.UnknownItems;
import io.quasid.ranking.sasrec.Features;
import io.quasid.ranking.sasrec.SasRecConfig;
import io.quasid.ranking.sasrec.SasRecModel;
import io.quasid.ranking.sasrec.SasRecTrainer;
import io.quasid.ranking.tiger.TigerConfig;
import io.quasid.ranking.tiger.TigerModel;
import io.quasid.ranking.tiger.TigerTrainer;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Sid;
import io.quasid.core.sid.SidTable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A small shop for the service tests, written to a folder: 30 items (item 29 without a price, items
 * 0-5 cold), 90 users who walk the catalogue in order, two small trained ranking models on SID features for the arms
 * and a small generative retriever, with {@code experiments.json} naming the ranking models as experiment
 * {@code shop} and, as experiment {@code shop-tiger}, a ranking model (control) against the generative
 * retriever (treatment, every user, its lists leaving out the history).
 */
final class Shop {
    static final int ITEMS = 30;

    final Path data;
    final Path experiments;

    private Shop(Path data, Path experiments) {
        this.data = data;
        this.experiments = experiments;
    }

    /** The service on a free port serving this shop's experiments, its H2 store in {@code dir}, with {@code settings} on top. */
    ApplicationContext serve(Path dir, Map<String, Object> settings) {
        Map<String, Object> properties = new HashMap<>(settings);
        properties.put("micronaut.server.port", -1);
        properties.put("quasid.experiments", experiments.toString());
        properties.put("quasid.db.url", "jdbc:h2:file:" + dir.resolve("db/events") + ";WRITE_DELAY=0");
        return Application.start(properties);
    }

    /** The service's address. */
    static Http http(ApplicationContext context) {
        return new Http(URI.create(context.getBean(EmbeddedServer.class).getURL().toString()));
    }

    static Shop create(Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        StringBuilder items = new StringBuilder("item,title,price\n");
        for (int i = 0; i < ITEMS; i++) {
            items.append("i").append(i).append(",Item ").append(i).append(',').append(i == ITEMS - 1 ? "" : String.valueOf(10 + i)).append('\n');
        }
        Files.writeString(data.resolve("items.csv"), items);
        StringBuilder interactions = new StringBuilder("user,item\n");
        for (int u = 0; u < 90; u++) {
            int start = 6 + u % (ITEMS - 6);
            for (int k = 0; k < 6 + u % 3; k++) {
                interactions.append('u').append(u).append(",i").append(6 + (start - 6 + k) % (ITEMS - 6)).append('\n');
            }
        }
        for (int c = 0; c < 6; c++) { // cold items: one interaction each, by a user of their own
            interactions.append("c").append(c).append(",i").append(c).append('\n');
        }
        Files.writeString(data.resolve("interactions.csv"), interactions);
        LeaveOneOutSplit split = new LeaveOneOutSplit(new DatasetReader(UnknownItems.FAIL).read(data));
        SidTable sids = new SidTable(split.dataset().catalogue().ids(), IntStream.range(0, ITEMS).mapToObj(i -> Sid.of(i % 6, i / 6)).toArray(Sid[]::new),
                new CodebookShape(2, 6));
        SasRecConfig config = SasRecConfig.DEFAULTS.toBuilder().features(Features.SID).dim(16).blocks(1).maxLength(8)
                .dropout(0.0).learningRate(1e-2).batchSize(32).maxEpochs(3).build();
        for (String arm : new String[] {"control", "treatment"}) {
            try (SasRecModel model = new SasRecTrainer(config, split, sids).fit(Device.cpu(), arm.length()).model()) {
                model.save(dir.resolve("model-" + arm));
            }
        }
        TigerConfig tiger = TigerConfig.DEFAULTS.toBuilder().dModel(16).heads(2).headDim(8).dFf(32).encoderLayers(1).decoderLayers(1)
                .maxLength(8).batchSize(32).maxEpochs(2).beam(10).build();
        try (TigerModel model = new TigerTrainer(tiger, split, sids).fit(Device.cpu(), 1).model()) {
            model.save(dir.resolve("model-tiger"));
        }
        Path experiments = dir.resolve("experiments.json");
        Files.writeString(experiments, """
                [{"id": "shop", "data": "%1$s", "salt": "s1", "split": 0.5,
                  "control": {"model": "%2$s"}, "treatment": {"model": "%3$s"}},
                 {"id": "shop-tiger", "data": "%1$s", "salt": "s1", "split": 1,
                  "control": {"model": "%2$s", "kind": "sasrec"}, "treatment": {"model": "%4$s", "kind": "tiger", "history": "exclude"}}]
                """.formatted(data, dir.resolve("model-control"), dir.resolve("model-treatment"), dir.resolve("model-tiger")));
        return new Shop(data, experiments);
    }
}
