/**
 * The database every module shares: the scope each transaction runs in (one tenant's rows through row-level
 * security, or the system's), the check that the application's login owns nothing, and the local-run default:
 * with no datasource configured, an embedded PostgreSQL (binaries from Maven Central) is started with its data
 * kept between runs, so {@code ./mvnw spring-boot:run} needs nothing installed. Production and tests always
 * name a real server.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Database",
        allowedDependencies = {})
package io.meshcp.database;
