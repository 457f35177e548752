package io.meshcp.accounts;

import io.meshcp.shared.problems.TextLength;

/**
 * What a new organisation's first owner types on the sign-up page. Checked by {@link Accounts#signUp}, which also
 * holds the password to the password policy and the names to those in use.
 */
public record SignUp(@TextLength(max = 100) String organisation, @TextLength(max = 100) String displayName,
        @EmailAddress String email, String password) {
}
