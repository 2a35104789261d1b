package io.quasid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quasid serve} in its own JVM, stopped the way a process manager stops it. */
final class TestServeCommand {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsTheServiceWithinSeconds() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("serve.log");
        Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.quasid.cli.Main",
                "serve", "--port", String.valueOf(port), "--db", "jdbc:h2:file:" + dir.resolve("db/events"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            boolean up = false;
            while (!up && System.nanoTime() < deadline && serve.isAlive()) {
                try {
                    up = http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertThat(up).as("the service came up; see %s", log).isTrue();
            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s after SIGTERM; see %s", log).isTrue();
        } finally {
            serve.destroyForcibly();
        }
    }
}
