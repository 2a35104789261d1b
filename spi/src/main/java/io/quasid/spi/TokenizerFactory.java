package io.quasid.spi;

import ai.djl.Device;
import java.nio.file.Path;

/** Trains and loads one kind of tokenizer, e.g. {@code rqvae}. */
public interface TokenizerFactory {
    /** Unique name, part of the saved format. */
    String name();

    /** Trains on {@code items} (one row per catalogue item) with what {@code context} binds. */
    Tokenizer fit(Embeddings items, TokenizerContext context);

    /** Loads a tokenizer that {@link Tokenizer#save} wrote onto {@code device}; fails on another format version or name. */
    Tokenizer load(Path dir, Device device);
}
