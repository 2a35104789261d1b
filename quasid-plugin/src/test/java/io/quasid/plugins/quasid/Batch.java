package io.quasid.plugins.quasid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Cvpm;
import io.quasid.spi.PairLayout;
import io.quasid.spi.TrainingBatch;
import io.quasid.spi.TrainingProgress;
import io.quasid.spi.ValidPairs;
import java.util.List;

/** A hand-made batch: latents (also the inputs), codes and items given row by row. */
record Batch(NDArray z, NDArray inputs, NDArray codes, int[] items, PairLayout layout, TrainingProgress progress, CodebookShape shape)
        implements TrainingBatch {

    static Batch of(NDManager m, float[][] z, int[][] codes, int[] items, PairLayout layout) {
        int n = z.length;
        float[] zz = new float[n * z[0].length];
        int[] cc = new int[n * codes[0].length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(z[i], 0, zz, i * z[0].length, z[0].length);
            System.arraycopy(codes[i], 0, cc, i * codes[0].length, codes[0].length);
        }
        NDArray za = m.create(zz, new Shape(n, z[0].length));
        za.setRequiresGradient(true);
        return new Batch(za, za.duplicate(), m.create(cc, new Shape(n, codes[0].length)).toType(DataType.INT32, false), items, layout,
                new TrainingProgress(0, 10, 0, 1), new CodebookShape(codes[0].length, 4));
    }

    /** Every off-diagonal pair valid. */
    ValidPairs allPairs() {
        return ValidPairs.of(this, List.of());
    }

    /** The pairs QuaSID's CVPM allows. */
    ValidPairs cvpm() {
        return ValidPairs.of(this, List.of(new Cvpm(QuaSidPlugin.NAME, true)));
    }
}
