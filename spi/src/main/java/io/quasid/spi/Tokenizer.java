package io.quasid.spi;

import java.nio.file.Path;
import java.util.Map;

/** A trained tokenizer: assigns SIDs to embeddings of its input dimension. Close it to free native memory. */
public interface Tokenizer extends AutoCloseable {
    /** The name of the factory that made it. */
    String name();

    CodebookShape shape();

    /** The embedding dimension it accepts. */
    int dimension();

    /**
     * One SID per row of {@code embeddings}; fails naming both dimensions if they differ. Several threads may
     * call it at once (the Spark job's tasks share one tokenizer per JVM), each getting what it would alone.
     */
    Sid[] assign(Embeddings embeddings);

    /** Writes the model and its metadata into {@code dir} atomically (the directory appears complete or not at all). */
    void save(Path dir);

    /** Hyper-parameters, seed and provenance, as written with the model. */
    Map<String, Object> metadata();

    @Override
    void close();
}
