package io.quasid.spi;

import java.util.Arrays;

/** A Semantic ID: one non-negative code per level, immutable; serializable, so distributed jobs can key by it. */
public final class Sid implements Comparable<Sid>, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final int[] codes;

    private Sid(int[] codes) {
        if (codes.length == 0 || codes.length > CodebookShape.MAX_LEVELS) {
            throw new IllegalArgumentException("an SID has 1.." + CodebookShape.MAX_LEVELS + " levels, got " + codes.length);
        }
        for (int l = 0; l < codes.length; l++) {
            if (codes[l] < 0) {
                throw new IllegalArgumentException("SID code at level " + (l + 1) + " is negative: " + codes[l]);
            }
        }
        this.codes = codes;
    }

    /** An SID with the given codes, level 1 first. */
    public static Sid of(int... codes) {
        return new Sid(codes.clone());
    }

    public int levels() {
        return codes.length;
    }

    /** The code at {@code level} (0-based). */
    public int code(int level) {
        return codes[level];
    }

    /** A copy of the codes, level 1 first. */
    public int[] codes() {
        return codes.clone();
    }

    /** Number of levels whose codes differ (METHOD.md §3.2, H_ij); both SIDs must have the same levels. */
    public int hamming(Sid other) {
        if (other.codes.length != codes.length) {
            throw new IllegalArgumentException("cannot compare SIDs of " + codes.length + " and " + other.codes.length + " levels");
        }
        int h = 0;
        for (int l = 0; l < codes.length; l++) {
            if (codes[l] != other.codes[l]) {
                h++;
            }
        }
        return h;
    }

    /** The number of leading levels whose codes agree; both SIDs must have the same levels. */
    public int sharedPrefix(Sid other) {
        if (other.codes.length != codes.length) {
            throw new IllegalArgumentException("cannot compare SIDs of " + codes.length + " and " + other.codes.length + " levels");
        }
        int p = 0;
        while (p < codes.length && codes[p] == other.codes[p]) {
            p++;
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sid s && Arrays.equals(codes, s.codes);
    }

    @Override
    public int hashCode() {
        return SidCodes.hash(codes);
    }

    @Override
    public int compareTo(Sid o) {
        return Arrays.compare(codes, o.codes);
    }

    /** Codes joined by '-', e.g. {@code 12-0-201}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int l = 0; l < codes.length; l++) {
            if (l > 0) {
                b.append('-');
            }
            b.append(codes[l]);
        }
        return b.toString();
    }
}
