package io.meshcp.database;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says how to give the application a login that row-level security holds. */
class UnconfinedDatabaseLoginFailureAnalyzer extends AbstractFailureAnalyzer<UnconfinedDatabaseLoginException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnconfinedDatabaseLoginException cause) {
        return new FailureAnalysis(cause.getMessage() + ". Row-level security separates organisations only for a "
                + "login that owns nothing and is not a superuser.",
                "Create a login for the application and let the owner run migrations, for example:\n"
                        + "    CREATE ROLE meshcp_app LOGIN NOINHERIT PASSWORD '...';\n"
                        + "then set SPRING_DATASOURCE_USERNAME=meshcp_app (and its password) and "
                        + "SPRING_FLYWAY_USER / SPRING_FLYWAY_PASSWORD to the role that owns the tables ("
                        + cause.login() + " if it is the owner). docs/operations.md, \"Database roles\", has the "
                        + "details.",
                cause);
    }
}
