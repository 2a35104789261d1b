package io.quasid.ranking.tiger;

import io.quasid.core.sid.SidTable;
import io.quasid.spi.SidCodes;
import java.util.Arrays;

/**
 * Each catalogue item's name for generative retrieval (METHOD.md §7): its {@code L} SID codes plus the
 * table's de-duplication code {@code d} ({@link SidTable#dedup}: by default 0 for the first item in item-id
 * order holding a SID, 1 for the next, and so on), so that no two items share a token sequence. Position
 * {@code l} ({@code 0..L}) has its own vocabulary: {@code K} codes for the SID levels, the largest {@code d}
 * plus one for the de-duplication position.
 */
public final class ItemTokens {
    private final int[][] tokens;
    private final int[] vocabulary;

    private ItemTokens(int[][] tokens, int[] vocabulary) {
        this.tokens = tokens;
        this.vocabulary = vocabulary;
    }

    /** The tokens of the items of {@code sids}, row {@code i} being item {@code i}, the last its table's de-duplication code. */
    public static ItemTokens of(SidTable sids) {
        int n = sids.size();
        int levels = sids.levels();
        SidCodes codes = sids.codes();
        int[][] tokens = new int[n][levels + 1];
        int group = 1;
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < levels; l++) {
                tokens[i][l] = codes.code(i, l);
            }
            tokens[i][levels] = sids.dedup(i);
            group = Math.max(group, sids.dedup(i) + 1);
        }
        int[] vocabulary = new int[levels + 1];
        Arrays.fill(vocabulary, 0, levels, sids.shape().codes());
        vocabulary[levels] = group;
        return new ItemTokens(tokens, vocabulary);
    }

    /** Number of items. */
    public int items() {
        return tokens.length;
    }

    /** Tokens per item: {@code L + 1}. */
    public int length() {
        return vocabulary.length;
    }

    /** The vocabulary size of every position, {@code 0..L}. */
    public int[] vocabularies() {
        return vocabulary.clone();
    }

    /** The vocabulary size of position {@code l}. */
    public int vocabulary(int l) {
        return vocabulary[l];
    }

    /** Item {@code i}'s token at position {@code l}. */
    public int token(int i, int l) {
        return tokens[i][l];
    }

    /** A copy of item {@code i}'s tokens. */
    public int[] tokens(int i) {
        return tokens[i].clone();
    }
}
