package io.quasid.ab;

import io.quasid.ranking.sasrec.SasRecModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Scores histories on one arm's model in batches: requests that arrive while a batch is being scored
 * are scored together in the next one (up to {@link #MAX_BATCH}), so under load one forward pass serves
 * many requests, and at low load a request waits for nothing but its own pass.
 */
final class BatchScorer implements AutoCloseable {
    /** Most histories in one forward pass. */
    static final int MAX_BATCH = 64;

    private record Pending(int[] history, CompletableFuture<float[]> scores) {}

    private final SasRecModel model;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;

    BatchScorer(SasRecModel model, String name) {
        this.model = model;
        this.worker = new Thread(this::run, "quasid-score-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    /** Every catalogue item's score for {@code history}; blocks until its batch is scored. */
    float[] score(int[] history) {
        Pending p = new Pending(history, new CompletableFuture<>());
        queue.add(p);
        if (closed) {
            failPending();
        }
        try {
            return p.scores().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for scores", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            try {
                float[][] scores = model.servingScores(batch.stream().map(Pending::history).toList());
                for (int i = 0; i < scores.length; i++) {
                    batch.get(i).scores().complete(scores[i]);
                }
            } catch (RuntimeException | Error e) {
                batch.forEach(p -> p.scores().completeExceptionally(e));
            }
            batch.clear();
        }
        failPending();
    }

    private void failPending() {
        for (Pending p; (p = queue.poll()) != null; ) {
            p.scores().completeExceptionally(new IllegalStateException("the experiment is closed"));
        }
    }

    /** Stops the worker after its current batch; requests still waiting fail. */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
