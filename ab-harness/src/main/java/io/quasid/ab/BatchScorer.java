package io.quasid.ab;

import io.quasid.ranking.HistoryRule;
import io.quasid.ranking.RankingModel;
import io.quasid.ranking.Scored;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Recommends for histories on one arm's model in batches: requests that arrive while a batch is being
 * served are served together in the next one (up to {@link #MAX_BATCH}), so under load one forward pass
 * (or one beam search) serves many requests, and at low load a request waits for nothing but its own.
 * Requests of one batch that ask for the same {@code k} share a call to the model; every list follows
 * the arm's {@link HistoryRule}.
 */
final class BatchScorer implements AutoCloseable {
    /** Most histories in one forward pass. */
    static final int MAX_BATCH = 64;

    private record Pending(int[] history, int k, CompletableFuture<List<Scored>> items) {}

    private final RankingModel model;
    private final HistoryRule rule;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;

    BatchScorer(RankingModel model, HistoryRule rule, String name) {
        this.model = model;
        this.rule = rule;
        this.worker = new Thread(this::run, "quasid-score-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    /** The model's best {@code k} items for {@code history} under the rule, best first; blocks until its batch is served. */
    List<Scored> recommend(int[] history, int k) {
        Pending p = new Pending(history, k, new CompletableFuture<>());
        queue.add(p);
        if (closed) {
            failPending();
        }
        try {
            return p.items().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for recommendations", e);
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
                // one call per k: a generative retriever's beam follows k, and a list must not follow its batch-mates'
                java.util.Map<Integer, List<Pending>> byK = new java.util.LinkedHashMap<>();
                batch.forEach(p -> byK.computeIfAbsent(p.k(), k -> new ArrayList<>()).add(p));
                byK.forEach((k, group) -> {
                    List<List<Scored>> lists = model.recommend(group.stream().map(Pending::history).toList(), k, rule);
                    for (int i = 0; i < lists.size(); i++) {
                        group.get(i).items().complete(lists.get(i));
                    }
                });
            } catch (RuntimeException | Error e) {
                batch.forEach(p -> p.items().completeExceptionally(e));
            }
            batch.clear();
        }
        failPending();
    }

    private void failPending() {
        for (Pending p; (p = queue.poll()) != null; ) {
            p.items().completeExceptionally(new IllegalStateException("the experiment is closed"));
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
