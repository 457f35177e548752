package io.meshcp.database;

/** The application's database login would not be held to its scopes by row-level security. */
class UnconfinedDatabaseLoginException extends IllegalStateException {

    private final String login;

    private final String problem;

    UnconfinedDatabaseLoginException(String login, String problem) {
        super("The application's database login " + login + " " + problem);
        this.login = login;
        this.problem = problem;
    }

    String login() {
        return login;
    }

    String problem() {
        return problem;
    }
}
