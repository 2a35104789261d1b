package io.quasid.rqvae;

/**
 * How a gradient-trained residual quantizer of this module makes its codewords and passes the gradient
 * through the code lookup; each is a tokenizer of its own name. All share the encoder, the decoder, the
 * residual lookup (nearest codeword by Euclidean distance, level by level), the loss of METHOD.md §1 and the
 * training loop, so whatever losses and pair masks are bound train each alike.
 */
public enum Quantizer {
    /** RQ-VAE (METHOD.md §1): learned codewords; the decoder's gradient reaches the encoder straight through. */
    STRAIGHT_THROUGH("rqvae"),
    /**
     * RQ-VAE with the rotation trick (Fifty et al., 2024): the quantized latent is the encoder output rotated
     * onto, and rescaled to, the sum of codewords ({@code q~ = sg(lambda R) z}, {@code R} the rotation taking
     * {@code z/|z|} to {@code q/|q|}, {@code lambda = |q|/|z|}), so the gradient reaching {@code z} keeps the
     * angle it makes with the codeword instead of being copied; applied once to the whole residual quantizer.
     */
    ROTATION("rqvae-rotation"),
    /**
     * SimVQ (Zhu et al., 2024): each level's codewords are a frozen random basis {@code B} {@code (K, D)}, drawn
     * from N(0, 1/D), times one learned linear layer ({@code C = B W + b}), so every step moves all codewords of a
     * level together and none is left dead; no k-means start and no reseeding. The layer starts fitted to the
     * level's residuals on a sample ({@code kmeans_sample} items: {@code b} their mean, {@code W} their spread),
     * this project's choice: from PyTorch's default start every item took one code (Beauty, 10 epochs).
     */
    SIMVQ("simvq");

    private final String tokenizer;

    Quantizer(String tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** The tokenizer's name (and its settings prefix). */
    public String tokenizer() {
        return tokenizer;
    }
}
