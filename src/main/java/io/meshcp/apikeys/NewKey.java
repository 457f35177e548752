package io.meshcp.apikeys;

import java.time.Instant;
import java.util.List;

/** What to create: {@code allowedOrigins} only for publishable keys; {@code expiresAt} may be null. */
public record NewKey(KeyKind kind, String name, List<String> allowedOrigins, Instant expiresAt) {
}
