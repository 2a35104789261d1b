package io.quasid.ab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiment report: per arm its users (distinct users served), requests, events by type, orders,
 * order rate (share of users with an order), GMV (sum of order prices) and GMV per user, the same for
 * orders of cold-start items; and the treatment/control lift of order rate (two-proportion z-test) and
 * GMV per user (Welch's t-test over users, zeros included), overall and for cold-start items. When an
 * order carries no price (its catalogue has none), orders still count but GMV is unknown: every GMV
 * figure and lift is null, {@code gmv_known} is false and {@code gmv_unknown_because} says why.
 */
final class Report {
    private Report() {}

    static Map<String, Object> of(Experiment experiment, EventStore store) {
        Map<String, long[]> served = store.usersAndRequests(experiment.id());
        Map<String, Map<String, long[]>> counts = store.eventCounts(experiment.id());
        List<EventStore.UserOrders> orders = store.orders(experiment.id());
        long withoutPrice = orders.stream().mapToLong(EventStore.UserOrders::withoutPrice).sum();
        boolean gmvKnown = withoutPrice == 0;
        Map<String, Object> arms = new LinkedHashMap<>();
        Map<String, double[][]> perUser = new LinkedHashMap<>();
        Map<String, long[]> buyers = new LinkedHashMap<>();
        for (String arm : List.of(Experiment.CONTROL, Experiment.TREATMENT)) {
            long users = served.getOrDefault(arm, new long[2])[0];
            long requests = served.getOrDefault(arm, new long[2])[1];
            List<EventStore.UserOrders> mine = orders.stream().filter(o -> o.arm().equals(arm)).toList();
            double[] gmv = new double[(int) users];
            double[] coldGmv = new double[(int) users];
            long orderCount = 0;
            long coldOrders = 0;
            long coldBuyers = 0;
            long armWithoutPrice = 0;
            for (int i = 0; i < mine.size(); i++) {
                EventStore.UserOrders o = mine.get(i);
                gmv[i] = o.gmv();
                coldGmv[i] = o.coldGmv();
                orderCount += o.orders();
                coldOrders += o.coldOrders();
                coldBuyers += o.coldOrders() > 0 ? 1 : 0;
                armWithoutPrice += o.withoutPrice();
            }
            perUser.put(arm, new double[][] {gmv, coldGmv});
            buyers.put(arm, new long[] {mine.size(), coldBuyers, users});
            Map<String, long[]> events = counts.getOrDefault(arm, Map.of());
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("users", users);
            a.put("requests", requests);
            for (String type : AbService.TYPES) {
                a.put(type + "s", events.getOrDefault(type, new long[2])[0]);
            }
            a.put("order_rate", rate(mine.size(), users));
            a.put("gmv", gmvKnown ? sum(gmv) : null);
            a.put("gmv_per_user", gmvKnown ? perUser(gmv, users) : null);
            Map<String, Object> cold = new LinkedHashMap<>();
            cold.put("exposures", events.getOrDefault("exposure", new long[2])[1]);
            cold.put("orders", coldOrders);
            cold.put("order_rate", rate(coldBuyers, users));
            cold.put("gmv", gmvKnown ? sum(coldGmv) : null);
            cold.put("gmv_per_user", gmvKnown ? perUser(coldGmv, users) : null);
            a.put("cold_start", cold);
            a.put("orders", orderCount);
            a.put("orders_without_price", armWithoutPrice);
            arms.put(arm, a);
        }
        long[] c = buyers.get(Experiment.CONTROL);
        long[] t = buyers.get(Experiment.TREATMENT);
        Map<String, Object> lifts = new LinkedHashMap<>();
        lifts.put("order_rate", Lift.proportions(c[0], c[2], t[0], t[2]));
        lifts.put("gmv_per_user", gmvKnown ? Lift.welch(perUser.get(Experiment.CONTROL)[0], perUser.get(Experiment.TREATMENT)[0]) : null);
        lifts.put("cold_start_order_rate", Lift.proportions(c[1], c[2], t[1], t[2]));
        lifts.put("cold_start_gmv_per_user", gmvKnown ? Lift.welch(perUser.get(Experiment.CONTROL)[1], perUser.get(Experiment.TREATMENT)[1]) : null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", experiment.id());
        out.put("split", experiment.split());
        out.put("arms", arms);
        out.put("lifts", lifts);
        out.put("gmv_known", gmvKnown);
        if (!gmvKnown) {
            out.put("gmv_unknown_because", withoutPrice + " orders carry no price (the catalogue has none for their items)");
        }
        out.put("generated_at", java.time.Instant.now().toString());
        return out;
    }

    private static double perUser(double[] gmv, long users) {
        return users == 0 ? Double.NaN : sum(gmv) / users;
    }

    private static double rate(long x, long n) {
        return n == 0 ? Double.NaN : (double) x / n;
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }
}
