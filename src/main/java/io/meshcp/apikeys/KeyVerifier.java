package io.meshcp.apikeys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.meshcp.shared.Tokens;
import org.springframework.stereotype.Component;

/**
 * Answers "is this key valid now?" from memory. Each distinct key (and each unknown key, so that a
 * flood of bad keys cannot hammer the database) is looked up at most once per {@link #REFRESH} in the
 * background; a request never waits on the database for a key seen in the last {@link #MAX_STALENESS}.
 * A revocation on this node is visible at once; on other nodes within {@link #MAX_STALENESS}. Expiry is
 * checked against the clock on every call, so it is exact.
 */
@Component
class KeyVerifier {

    static final Duration REFRESH = Duration.ofSeconds(1);

    static final Duration MAX_STALENESS = Duration.ofSeconds(5);

    private final LoadingCache<String, Optional<CachedKey>> cache;

    private final Clock clock;

    KeyVerifier(ApiKeyRepository keys, Clock clock) {
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .refreshAfterWrite(REFRESH)
                .expireAfterWrite(MAX_STALENESS)
                .maximumSize(200_000)
                .build(hash -> keys.findByKeyHash(HexFormat.of().parseHex(hash)).map(CachedKey::of));
    }

    Optional<VerifiedKey> verify(String key) {
        KeyKind kind = KeyKind.of(key);
        if (kind == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return cache.get(HexFormat.of().formatHex(Tokens.sha256(key)))
                .filter(cached -> cached.kind() == kind && cached.isUsable(now))
                .map(CachedKey::verified);
    }

    void forget(byte[] keyHash) {
        cache.invalidate(HexFormat.of().formatHex(keyHash));
    }

    private record CachedKey(VerifiedKey verified, KeyKind kind, Instant expiresAt, Instant revokedAt) {

        static CachedKey of(ApiKey key) {
            return new CachedKey(new VerifiedKey(key.id(), key.tenantId(), key.kind(), key.name(),
                    key.displayPrefix(), List.copyOf(key.allowedOrigins())), key.kind(), key.expiresAt(),
                    key.revokedAt());
        }

        boolean isUsable(Instant now) {
            return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
        }
    }
}
