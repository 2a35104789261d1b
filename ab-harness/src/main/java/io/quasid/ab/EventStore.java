package io.quasid.ab;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The durable store of experiments, served requests and events, over JDBC (H2 in file mode by default,
 * PostgreSQL by configuration), its schema kept by Flyway migrations ({@code db/migration}). Every write
 * is committed before the method returns, so what the service acknowledges is on disk.
 */
public final class EventStore {
    /** A served request: who got which arm of which experiment. */
    public record Request(String requestId, String experiment, String arm, String userId) {}

    /** One event to store. */
    public record Event(Request request, String type, String itemId, Double price, boolean cold, long time) {}

    /**
     * One user's orders: their number and value (the sum of the prices they carry), overall and of
     * cold-start items, and how many carry no price.
     */
    public record UserOrders(String arm, String userId, long orders, double gmv, long coldOrders, double coldGmv, long withoutPrice) {}

    /** An item added to an experiment's catalogue: its id, price ({@code null}: none) and its SID and de-duplication code in each arm. */
    public record AddedItem(String itemId, Double price, int[] controlSid, int controlDedup, int[] treatmentSid, int treatmentDedup) {}

    /**
     * SQL states of a write that lost a race with a concurrent one and succeeds when retried: a duplicate
     * key, a lock timeout (H2), a deadlock or serialization failure, a lock not available (PostgreSQL).
     */
    private static final java.util.Set<String> RACE_LOST = java.util.Set.of("23505", "HYT00", "40001", "40P01", "55P03");
    /** Attempts of an event batch that keeps losing races before its failure is reported. */
    private static final int ATTEMPTS = 12;
    /** Events in their key order: concurrent batches that overlap lock their common keys in one order and cannot deadlock. */
    private static final java.util.Comparator<Event> KEY_ORDER = java.util.Comparator.<Event, String>comparing(e -> e.request().requestId())
            .thenComparing(Event::type).thenComparing(Event::itemId);

    private final DataSource dataSource;

    public EventStore(DataSource dataSource) {
        this.dataSource = dataSource;
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    /**
     * Stores an experiment's definition, replacing any stored one; replacing a different definition drops
     * the items added to the old one (their SIDs came from its models), storing the same one keeps them.
     */
    public void saveExperiment(String id, String definition) {
        transaction(c -> {
            String stored = null;
            try (PreparedStatement select = c.prepareStatement("SELECT definition FROM experiments WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet r = select.executeQuery()) {
                    stored = r.next() ? r.getString(1) : null;
                }
            }
            if (!definition.equals(stored)) {
                try (PreparedStatement items = c.prepareStatement("DELETE FROM items WHERE experiment = ?")) {
                    items.setString(1, id);
                    items.executeUpdate();
                }
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM experiments WHERE id = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO experiments (id, definition, created_at) VALUES (?, ?, ?)")) {
                delete.setString(1, id);
                delete.executeUpdate();
                insert.setString(1, id);
                insert.setString(2, definition);
                insert.setLong(3, System.currentTimeMillis());
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** Every stored experiment definition by id. */
    public Map<String, String> experiments() {
        return transaction(c -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, definition FROM experiments ORDER BY id"); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getString(2));
                }
            }
            return out;
        });
    }

    /**
     * Appends {@code items} to experiment {@code experiment}'s added items, after the {@code after} stored ones
     * (the caller's count: the insert fails rather than leave a gap or overwrite), in one transaction.
     */
    public void addItems(String experiment, int after, List<AddedItem> items) {
        long now = System.currentTimeMillis();
        transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO items (experiment, position, item_id, price, control_sid, control_d, "
                    + "treatment_sid, treatment_d, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int position = after;
                for (AddedItem item : items) {
                    s.setString(1, experiment);
                    s.setInt(2, position++);
                    s.setString(3, item.itemId());
                    if (item.price() == null) {
                        s.setNull(4, java.sql.Types.DOUBLE);
                    } else {
                        s.setDouble(4, item.price());
                    }
                    s.setString(5, text(item.controlSid()));
                    s.setInt(6, item.controlDedup());
                    s.setString(7, text(item.treatmentSid()));
                    s.setInt(8, item.treatmentDedup());
                    s.setLong(9, now);
                    s.executeUpdate();
                }
            }
            return null;
        });
    }

    /** The items added to {@code experiment}'s catalogue, in the order they joined it. */
    public List<AddedItem> addedItems(String experiment) {
        return transaction(c -> {
            List<AddedItem> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT position, item_id, price, control_sid, control_d, treatment_sid, treatment_d "
                    + "FROM items WHERE experiment = ? ORDER BY position")) {
                s.setString(1, experiment);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        if (r.getInt(1) != out.size()) {
                            throw new IllegalStateException("event store: experiment " + experiment + " has no added item at position " + out.size());
                        }
                        double price = r.getDouble(3);
                        Double p = r.wasNull() ? null : price;
                        out.add(new AddedItem(r.getString(2), p, codes(r.getString(4)), r.getInt(5), codes(r.getString(6)), r.getInt(7)));
                    }
                }
            }
            return out;
        });
    }

    private static String text(int[] codes) {
        return java.util.Arrays.stream(codes).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(","));
    }

    private static int[] codes(String text) {
        return java.util.Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    public void saveRequest(Request request, long time) {
        transaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO requests (request_id, experiment, arm, user_id, created_at) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, request.requestId());
                s.setString(2, request.experiment());
                s.setString(3, request.arm());
                s.setString(4, request.userId());
                s.setLong(5, time);
                s.executeUpdate();
            }
            return null;
        });
    }

    public Optional<Request> request(String requestId) {
        return transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT experiment, arm, user_id FROM requests WHERE request_id = ?")) {
                s.setString(1, requestId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new Request(requestId, r.getString(1), r.getString(2), r.getString(3))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Stores the events that are not stored yet (the same request, type and item count once), all in one
     * transaction; returns how many were new. A batch that loses a race with a concurrent one (which
     * stored some of the same events first, or holds their locks) is retried after a short random wait.
     */
    public int addEvents(List<Event> events) {
        List<Event> sorted = events.stream().sorted(KEY_ORDER).toList();
        java.util.Random jitter = new java.util.Random();
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction(c -> insertNew(c, sorted));
            } catch (IllegalStateException e) {
                if (attempt == ATTEMPTS || !(e.getCause() instanceof SQLException s && RACE_LOST.contains(s.getSQLState()))) {
                    throw e;
                }
                try {
                    Thread.sleep(1 + jitter.nextInt(5 << Math.min(attempt, 6)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static int insertNew(Connection c, List<Event> events) throws SQLException {
        int added = 0;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO events (request_id, type, item_id, experiment, arm, user_id, price, cold, event_time) "
                + "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
                + "(SELECT 1 FROM events WHERE request_id = ? AND type = ? AND item_id = ?)")) {
            for (Event e : events) {
                s.setString(1, e.request().requestId());
                s.setString(2, e.type());
                s.setString(3, e.itemId());
                s.setString(4, e.request().experiment());
                s.setString(5, e.request().arm());
                s.setString(6, e.request().userId());
                if (e.price() == null) {
                    s.setNull(7, java.sql.Types.DOUBLE);
                } else {
                    s.setDouble(7, e.price());
                }
                s.setBoolean(8, e.cold());
                s.setLong(9, e.time());
                s.setString(10, e.request().requestId());
                s.setString(11, e.type());
                s.setString(12, e.itemId());
                added += s.executeUpdate();
            }
        }
        return added;
    }

    /** Per arm: distinct users and requests served in {@code experiment}. */
    public Map<String, long[]> usersAndRequests(String experiment) {
        return transaction(c -> {
            Map<String, long[]> out = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT arm, COUNT(DISTINCT user_id), COUNT(*) FROM requests WHERE experiment = ? GROUP BY arm")) {
                s.setString(1, experiment);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.put(r.getString(1), new long[] {r.getLong(2), r.getLong(3)});
                    }
                }
            }
            return out;
        });
    }

    /** Per arm and event type: the number of events, and of those on cold-start items. */
    public Map<String, Map<String, long[]>> eventCounts(String experiment) {
        return transaction(c -> {
            Map<String, Map<String, long[]>> out = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT arm, type, COUNT(*), SUM(CASE WHEN cold THEN 1 ELSE 0 END) FROM events "
                    + "WHERE experiment = ? GROUP BY arm, type")) {
                s.setString(1, experiment);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.computeIfAbsent(r.getString(1), k -> new LinkedHashMap<>()).put(r.getString(2), new long[] {r.getLong(3), r.getLong(4)});
                    }
                }
            }
            return out;
        });
    }

    /** Every user with at least one order in {@code experiment}. */
    public List<UserOrders> orders(String experiment) {
        return transaction(c -> {
            List<UserOrders> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT arm, user_id, COUNT(*), SUM(price), "
                    + "SUM(CASE WHEN cold THEN 1 ELSE 0 END), SUM(CASE WHEN cold THEN price ELSE 0 END), COUNT(*) - COUNT(price) "
                    + "FROM events WHERE experiment = ? AND type = 'order' GROUP BY arm, user_id")) {
                s.setString(1, experiment);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new UserOrders(r.getString(1), r.getString(2), r.getLong(3), r.getDouble(4), r.getLong(5), r.getDouble(6), r.getLong(7)));
                    }
                }
            }
            return out;
        });
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T transaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("event store: " + e.getMessage(), e);
        }
    }
}
