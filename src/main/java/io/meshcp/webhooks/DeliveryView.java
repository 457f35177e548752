package io.meshcp.webhooks;

import java.time.Instant;
import java.util.UUID;

/**
 * One delivery of an event to an endpoint and its last attempt.
 *
 * @param state PENDING (due at nextAttemptAt), DELIVERED, or FAILED (given up, or refused before sending)
 * @param lastStatus the receiver's HTTP status; null when no answer came
 * @param lastError why the last attempt failed without an answer (refused address, timeout, connection)
 * @param lastResponse the first 1,024 characters of the receiver's answer
 */
public record DeliveryView(long id, UUID eventId, String eventType, String state, int attempts, Instant createdAt,
        Instant nextAttemptAt, Instant lastAttemptAt, Integer lastStatus, Integer lastLatencyMs, String lastError,
        String lastResponse, Instant deliveredAt) {
}
