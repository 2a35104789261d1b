package io.quasid.core.io;

import io.quasid.spi.Embeddings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 fingerprints of inputs, written into every model and report so a mismatch can be detected. */
public final class Hashes {
    private Hashes() {}

    /** The hash of the shape and the float32 values of {@code embeddings}. */
    public static String of(Embeddings embeddings) {
        MessageDigest digest = sha256();
        ByteBuffer row = ByteBuffer.allocate(embeddings.dimension() * 4).order(ByteOrder.LITTLE_ENDIAN);
        digest.update((embeddings.rows() + "x" + embeddings.dimension()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int i = 0; i < embeddings.rows(); i++) {
            row.clear();
            for (int j = 0; j < embeddings.dimension(); j++) {
                row.putFloat(embeddings.get(i, j));
            }
            digest.update(row.array());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
