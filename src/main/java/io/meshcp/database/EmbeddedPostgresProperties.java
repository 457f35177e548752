package io.meshcp.database;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL used when no {@code spring.datasource.url} is set.
 *
 * @param enabled whether to start it when no datasource URL is configured
 * @param dataDirectory where its data lives, kept between runs; defaults to ~/.meshcp/postgres-data
 * @param port the port it listens on (localhost only); 0 picks a free one
 */
@ConfigurationProperties("meshcp.embedded-postgres")
record EmbeddedPostgresProperties(@DefaultValue("true") boolean enabled, Path dataDirectory,
        @DefaultValue("54329") int port) {

    EmbeddedPostgresProperties {
        // @DefaultValue does not resolve placeholders, so the home directory is looked up here.
        if (dataDirectory == null) {
            dataDirectory = Path.of(System.getProperty("user.home"), ".meshcp", "postgres-data");
        }
    }
}
