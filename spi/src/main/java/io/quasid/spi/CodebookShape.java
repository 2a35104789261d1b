package io.quasid.spi;

/**
 * The shape of a residual codebook: {@code levels} (L) codebooks of {@code codes} (K) codewords each.
 * An SID of this shape has one code in {@code 0..K-1} per level.
 */
public record CodebookShape(int levels, int codes) {
    /** Largest supported number of levels. */
    public static final int MAX_LEVELS = 16;

    public CodebookShape {
        Settings.inRange("levels (L)", levels, 1, MAX_LEVELS);
        Settings.inRange("codes (K)", codes, 2, 1 << 20);
    }

    /** Fails unless {@code sid} has this shape. */
    public Sid requireFits(Sid sid) {
        if (sid.levels() != levels) {
            throw new IllegalArgumentException("SID " + sid + " has " + sid.levels() + " levels, the codebook has " + levels);
        }
        for (int l = 0; l < levels; l++) {
            if (sid.code(l) >= codes) {
                throw new IllegalArgumentException("SID " + sid + " has code " + sid.code(l) + " at level " + (l + 1)
                        + ", allowed 0.." + (codes - 1));
            }
        }
        return sid;
    }
}
