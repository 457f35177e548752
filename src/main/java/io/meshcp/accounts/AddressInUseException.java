package io.meshcp.accounts;

/**
 * A sign-up with an address that already has an account. The sign-up page answers it exactly as it answers a
 * sign-up that worked, so that nobody can learn from it who has an account.
 */
class AddressInUseException extends RuntimeException {

    AddressInUseException() {
        super("an account with this address already exists", null, false, false);
    }
}
