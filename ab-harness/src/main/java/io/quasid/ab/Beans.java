package io.quasid.ab;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.quasid.core.Devices;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** The service's parts: the data source (H2 file by default), the event store and the service itself. */
@Factory
final class Beans {
    @Singleton
    @Bean(preDestroy = "close")
    HikariDataSource dataSource(@Value("${quasid.db.url}") String url, @Value("${quasid.db.user:sa}") String user,
                                @Value("${quasid.db.password:}") String password, @Value("${quasid.db.pool-size:8}") int pool) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(h2ClosedByThePool(url));
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(pool);
        config.setPoolName("quasid-events");
        return new HikariDataSource(config);
    }

    /**
     * An H2 URL that leaves closing the database to the pool: by default H2 closes it from its own
     * shutdown hook, while requests are still being answered (they would fail with "Database is already
     * closed"); the pool is closed after the server has stopped.
     */
    static String h2ClosedByThePool(String url) {
        return url.startsWith("jdbc:h2:") && !url.toUpperCase(java.util.Locale.ROOT).contains("DB_CLOSE_ON_EXIT") ? url + ";DB_CLOSE_ON_EXIT=FALSE" : url;
    }

    @Singleton
    EventStore store(HikariDataSource dataSource) {
        return new EventStore(dataSource);
    }

    @Singleton
    @Bean(preDestroy = "close")
    AbService service(EventStore store, @Value("${quasid.experiments:}") String experiments, @Value("${quasid.device:auto}") String device,
                      @Value("${quasid.max-price:1000000}") double maxPrice) {
        AbService service = new AbService(store, Devices.resolve(device), maxPrice);
        if (!experiments.isBlank()) {
            service.loadExperiments(Path.of(experiments));
        }
        return service;
    }
}
