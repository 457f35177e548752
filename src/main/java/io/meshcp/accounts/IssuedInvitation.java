package io.meshcp.accounts;

/** A new invitation and its one-time link token; the token is shown to the inviter once and stored only hashed. */
public record IssuedInvitation(InvitationView invitation, String token) {
}
