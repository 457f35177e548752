package io.meshcp.accounts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A tenant as other modules and the API see it. {@code cdnPricePerGb} is in the tenant's billing currency. */
public record TenantView(UUID id, String name, BigDecimal cdnPricePerGb, List<String> defaultAllowedOrigins,
        int telemetryRetentionDays, Instant createdAt) {
}
