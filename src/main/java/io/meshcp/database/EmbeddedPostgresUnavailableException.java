package io.meshcp.database;

/** The embedded PostgreSQL cannot start here; carries what the user should do instead. */
class EmbeddedPostgresUnavailableException extends RuntimeException {

    private final String action;

    EmbeddedPostgresUnavailableException(String description, String action, Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    String action() {
        return action;
    }
}
