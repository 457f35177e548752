package io.meshcp.shared.problems;

import java.sql.SQLException;

/**
 * Text PostgreSQL cannot hold, above all a NUL character, which JSON escapes, percent-encoding ({@code %00}) and form
 * fields all carry: the statement fails and its transaction rolls back, so nothing changed, and the text was the
 * client's. The API and the dashboard answer it 400.
 */
final class UnstorableText {

    private UnstorableText() {
    }

    /** PostgreSQL's "invalid byte sequence for encoding" (22021) and "unsupported Unicode escape sequence" (22P05). */
    static boolean causes(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && ("22021".equals(sql.getSQLState())
                    || "22P05".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
