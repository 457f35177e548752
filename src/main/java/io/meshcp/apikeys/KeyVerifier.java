package io.meshcp.apikeys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.meshcp.database.DatabaseScope;
import io.meshcp.shared.DatabaseAvailability;
import io.meshcp.shared.Tokens;
import io.meshcp.shared.caching.ReadThroughCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Answers "is this key valid now?" from memory. Each distinct key (and each unknown key, so that a flood of bad
 * keys cannot hammer the database) is looked up once, then again in the background once older than
 * {@code cache-refresh} (5 min), and never used older than {@code cache-max-staleness} (15 min). A change on this
 * node is visible as soon as it commits; on other nodes within a second, through the cache change log
 * (io.meshcp.cluster), with or without Redis. Expiry is checked
 * against the clock on every call, so it is exact. While the database cannot be reached, a key seen before
 * gets the answer last read, so players keep their sessions through an outage.
 */
@Component
class KeyVerifier {

    /** Why a key was taken or refused, as counted in {@code meshcp.keys.checks{outcome}}. */
    enum Outcome {
        VALID, UNKNOWN, REVOKED, EXPIRED, MALFORMED, ORIGIN_REFUSED
    }

    private final ReadThroughCache<String, Optional<CachedKey>> cache;

    private final Clock clock;

    private final Map<Outcome, Counter> checks = new EnumMap<>(Outcome.class);

    KeyVerifier(ApiKeyRepository keys, TransactionOperations transactions, Clock clock, MeterRegistry meters,
            @Value("${meshcp.api-keys.cache-refresh:5m}") Duration refresh,
            @Value("${meshcp.api-keys.cache-max-staleness:15m}") Duration maxStaleness, DatabaseAvailability database) {
        this.clock = clock;
        this.cache = new ReadThroughCache<>(
                // A key is found by its hash before anyone knows its organisation.
                hash -> DatabaseScope.system(() -> transactions.execute(status -> keys.findByKeyHash(
                        HexFormat.of().parseHex(hash)).map(CachedKey::of))), refresh, maxStaleness,
                200_000, database);
        cache.monitor(meters, "api-keys");
        for (Outcome outcome : Outcome.values()) {
            checks.put(outcome, meters.counter("meshcp.keys.checks", "outcome", outcome.name().toLowerCase(Locale.ROOT)));
        }
    }

    Optional<VerifiedKey> verify(String key) {
        KeyKind kind = KeyKind.of(key);
        if (kind == null) {
            checks.get(Outcome.MALFORMED).increment();
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<CachedKey> cached = cache.get(HexFormat.of().formatHex(Tokens.sha256(key)))
                .filter(found -> found.kind() == kind);
        Outcome outcome = cached.map(found -> found.outcome(now)).orElse(Outcome.UNKNOWN);
        checks.get(outcome).increment();
        return outcome == Outcome.VALID ? cached.map(CachedKey::verified) : Optional.empty();
    }

    /** Whether the key stored under this hash (hex SHA-256) is valid now: neither unknown, revoked nor expired. */
    boolean usable(String keyHash) {
        return cache.get(keyHash).map(found -> found.outcome(clock.instant()) == Outcome.VALID).orElse(false);
    }

    /** A valid publishable key presented from an origin it does not allow. */
    void countOriginRefused() {
        checks.get(Outcome.ORIGIN_REFUSED).increment();
    }

    void forget(byte[] keyHash) {
        cache.invalidate(HexFormat.of().formatHex(keyHash));
    }

    // Evicting before commit would let a concurrent request re-cache the old state.
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ApiKeyChanged change) {
        cache.invalidate(change.keyHash());
    }

    private record CachedKey(VerifiedKey verified, KeyKind kind, Instant expiresAt, Instant revokedAt) {

        static CachedKey of(ApiKey key) {
            return new CachedKey(new VerifiedKey(key.id(), key.tenantId(), key.kind(), key.role(), key.name(),
                    key.displayPrefix(), List.copyOf(key.allowedOrigins())), key.kind(), key.expiresAt(),
                    key.revokedAt());
        }

        Outcome outcome(Instant now) {
            if (revokedAt != null) {
                return Outcome.REVOKED;
            }
            return expiresAt == null || now.isBefore(expiresAt) ? Outcome.VALID : Outcome.EXPIRED;
        }
    }
}
