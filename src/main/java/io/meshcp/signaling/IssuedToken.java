package io.meshcp.signaling;

import java.time.Instant;

public record IssuedToken(String token, Instant expiresAt) {
}
