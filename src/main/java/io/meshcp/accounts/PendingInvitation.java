package io.meshcp.accounts;

public record PendingInvitation(String email, String organisation, Role role) {
}
