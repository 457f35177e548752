/**
 * The local-run default database: with no datasource configured, an embedded PostgreSQL (binaries from
 * Maven Central) is started with its data kept between runs, so {@code ./mvnw spring-boot:run} needs
 * nothing installed. Production and tests always name a real server.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Embedded database")
package io.meshcp.database;
