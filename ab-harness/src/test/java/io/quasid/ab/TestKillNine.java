package io.quasid.ab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service runs in its own JVM and is killed with SIGKILL while events stream in; after a restart on
 * the same H2 file every acknowledged event is there, and sending everything again counts each once.
 * Stopped with SIGTERM under load, it ends within seconds and fails no request it took.
 */
final class TestKillNine {
    @TempDir
    Path dir;

    private Process start(Shop shop, int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dmicronaut.server.port=" + port,
                "-Dquasid.experiments=" + shop.experiments,
                "-Dquasid.db.url=jdbc:h2:file:" + dir.resolve("db/events") + ";WRITE_DELAY=0",
                "io.quasid.ab.Application")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("service.log").toFile())).start();
        Http http = new Http(URI.create("http://127.0.0.1:" + port));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                if (http.get("/health").status() == 200) {
                    return p;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the service died at start-up; see " + dir.resolve("service.log"));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service did not start in 120 s");
    }

    private String serviceLog() {
        try {
            return java.nio.file.Files.readString(dir.resolve("service.log"));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long orders(Http http) throws Exception {
        var arms = http.get("/v1/experiments/shop/report").json().get("arms");
        return arms.get("control").get("orders").asLong() + arms.get("treatment").get("orders").asLong();
    }

    @Test
    void killingTheServiceLosesNoAcknowledgedEventAndCountsEachOnce() throws Exception {
        Shop shop = Shop.create(dir);
        int port = freePort();
        Process service = start(shop, port);
        Http http = new Http(URI.create("http://127.0.0.1:" + port));
        List<String> events = new ArrayList<>();
        for (int u = 0; u < 20; u++) {
            String requestId = http.post("/v1/recommendations", "{\"experiment\":\"shop\",\"userId\":\"u" + u + "\"}").json().get("requestId").asText();
            for (int i = 6; i < 16; i++) {
                events.add("{\"requestId\":\"%s\",\"userId\":\"u%d\",\"type\":\"order\",\"itemId\":\"i%d\"}".formatted(requestId, u, i));
            }
        }
        int acknowledged = 0;
        for (String e : events) {
            try {
                if (http.post("/v1/events", e).status() != 202) {
                    break;
                }
            } catch (IOException refused) {
                break; // the service is gone
            }
            acknowledged++;
            if (acknowledged == 60) {
                service.destroyForcibly(); // SIGKILL, no shutdown hooks; keep sending while it dies
            }
        }
        assertThat(service.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(acknowledged).isBetween(60, events.size() - 1);

        service = start(shop, port);
        try {
            long afterRestart = orders(http);
            assertThat(afterRestart).as("acknowledged %d", acknowledged).isBetween((long) acknowledged, (long) acknowledged + 1);
            for (String e : events) {
                assertThat(http.post("/v1/events", e).status()).isEqualTo(202);
            }
            assertThat(orders(http)).isEqualTo(events.size());
        } finally {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTerminatedServiceStopsSoonAndFailsNoRequestItTook() throws Exception {
        Shop shop = Shop.create(dir);
        int port = freePort();
        Process service = start(shop, port);
        Http http = new Http(URI.create("http://127.0.0.1:" + port));
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> cut = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                for (int u = 0; ; u++) {
                    try {
                        statuses.add(http.post("/v1/recommendations", "{\"experiment\":\"shop\",\"userId\":\"u" + (client * 20 + u % 20) + "\"}").status());
                    } catch (IOException | InterruptedException e) {
                        cut.add(e.toString()); // refused, or cut before its answer: whether the service had taken it, the store tells
                        return;
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (statuses.size() < 50) {
            assertThat(System.nanoTime()).as("50 requests answered within 60 s").isLessThan(deadline);
            Thread.sleep(10);
        }
        service.destroy(); // SIGTERM: shutdown hooks run
        assertThat(service.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
        for (Thread t : clients) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t.isAlive()).as("a client still waiting 30 s after the service stopped").isFalse();
        }
        assertThat(statuses).as(() -> "statuses; the service's log:\n" + serviceLog()).isNotEmpty().allMatch(status -> status == 200);
        // a request the service took is in its store: every one of them was answered (none cut mid-flight)
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("db/events"), "sa", "");
             java.sql.ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM requests")) {
            r.next();
            assertThat(r.getLong(1)).as("requests taken; answered %d; the clients' errors %s", statuses.size(), cut).isEqualTo(statuses.size());
        }
    }
}
