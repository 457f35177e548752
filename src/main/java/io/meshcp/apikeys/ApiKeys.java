package io.meshcp.apikeys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.meshcp.accounts.Role;
import io.meshcp.audit.AuditLog;
import io.meshcp.audit.AuditRecord;
import io.meshcp.database.TenantId;
import io.meshcp.shared.Tokens;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.http.Origins;
import io.meshcp.shared.problems.FieldError;
import io.meshcp.shared.problems.ForbiddenException;
import io.meshcp.shared.problems.InputChecks;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.shared.problems.NotFoundException;
import io.meshcp.shared.problems.UnauthenticatedException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating, listing, revoking, rotating and verifying API keys. All writes are audited. */
@Service
public class ApiKeys {

    /** The longest grace period a rotation may give the old key. */
    public static final Duration MAX_ROTATION_GRACE = Duration.ofDays(30);

    private final ApiKeyRepository keys;

    private final KeyVerifier verifier;

    private final LastUsedTracker lastUsed;

    private final AuditLog auditLog;

    private final ApplicationEventPublisher events;

    private final InputChecks checks;

    private final Clock clock;

    ApiKeys(ApiKeyRepository keys, KeyVerifier verifier, LastUsedTracker lastUsed, AuditLog auditLog,
            ApplicationEventPublisher events, InputChecks checks, Clock clock) {
        this.checks = checks;
        this.keys = keys;
        this.verifier = verifier;
        this.lastUsed = lastUsed;
        this.auditLog = auditLog;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Creates a key for a caller with {@code callerRole} (a member's, or the calling key's): no caller hands out a
     * key that may do more than it may itself.
     */
    @Transactional
    public IssuedKey create(@TenantId UUID tenantId, NewKey newKey, Actor actor, Role callerRole) {
        // An OWNER key is refused with the key's other problems, as invalid rather than as too high.
        if (newKey.role() != null && newKey.role() != Role.OWNER && callerRole.ordinal() > newKey.role().ordinal()) {
            throw new ForbiddenException("A " + callerRole + " cannot create a key with the role " + newKey.role()
                    + ", which may do more.");
        }
        return create(tenantId, newKey, actor);
    }

    /** Creates a key; for the application itself (bootstrap) and callers that checked the role. */
    @Transactional
    public IssuedKey create(@TenantId UUID tenantId, NewKey newKey, Actor actor) {
        if (newKey.kind() == null) {
            throw new InvalidInputException("kind", "must be SECRET or PUBLISHABLE");
        }
        return store(tenantId, newKey, newKey.kind().prefix() + Tokens.random(KeyKind.GENERATED_LENGTH), actor);
    }

    /**
     * Stores a key whose value was chosen outside (bootstrap for automation); it must have the key format
     * of its kind. Hashed like every other key.
     */
    @Transactional
    public IssuedKey importKey(@TenantId UUID tenantId, NewKey newKey, String key, Actor actor) {
        if (newKey.kind() == null || !newKey.kind().matches(key)) {
            throw new InvalidInputException("key", "must be " + (newKey.kind() == null ? "mesh_sk_ or mesh_pk_"
                    : newKey.kind().prefix()) + " followed by 32 to 128 characters of [A-Za-z0-9]");
        }
        if (keys.findByKeyHash(Tokens.sha256(key)).isPresent()) {
            throw new InvalidInputException("key", "this key already exists");
        }
        return store(tenantId, newKey, key, actor);
    }

    @Transactional(readOnly = true)
    public List<ApiKeyView> list(@TenantId UUID tenantId) {
        Instant now = clock.instant();
        return keys.findByTenantIdOrderByCreatedAtDesc(tenantId).stream()
                .map(key -> key.view(now, lastUsed.pending(key.id())))
                .toList();
    }

    @Transactional(readOnly = true)
    public ApiKeyView get(@TenantId UUID tenantId, UUID keyId) {
        ApiKey key = keys.findByIdAndTenantId(keyId, tenantId).orElseThrow(() -> new NotFoundException("API key"));
        return key.view(clock.instant(), lastUsed.pending(key.id()));
    }

    @Transactional
    public ApiKeyView revoke(@TenantId UUID tenantId, UUID keyId, Actor actor) {
        ApiKey key = keys.findByIdAndTenantId(keyId, tenantId).orElseThrow(() -> new NotFoundException("API key"));
        Instant now = clock.instant();
        if (key.revokedAt() == null) {
            key.revoke(now);
            changed(key.keyHash());
            audit(tenantId, "API_KEY_REVOKED", actor, key, Map.of());
        }
        return key.view(now, lastUsed.pending(key.id()));
    }

    /**
     * Issues a successor with the same name, kind and origins; the old key keeps working for
     * {@code grace} (zero ends it at once) and then expires.
     */
    @Transactional
    public IssuedKey rotate(@TenantId UUID tenantId, UUID keyId, Duration grace, Actor actor) {
        if (grace == null || grace.isNegative() || grace.compareTo(MAX_ROTATION_GRACE) > 0) {
            throw new InvalidInputException("grace", "must be between 0 and 30 days");
        }
        ApiKey old = keys.findByIdAndTenantId(keyId, tenantId).orElseThrow(() -> new NotFoundException("API key"));
        Instant now = clock.instant();
        if (!old.isUsable(now)) {
            throw new InvalidInputException("key", "a revoked or expired key cannot be rotated; create a new one");
        }
        IssuedKey successor = create(tenantId, new NewKey(old.kind(), old.name(), old.allowedOrigins(),
                null, old.role()), actor);
        old.replaceBy(successor.view().id(), now.plus(grace));
        changed(old.keyHash());
        audit(tenantId, "API_KEY_ROTATED", actor, old, Map.of("successorPrefix", successor.view().displayPrefix(),
                "oldKeyValidUntil", now.plus(grace).toString()));
        return successor;
    }

    /** The key, if it is valid now; served from memory. Records the use for "last used". */
    public Optional<VerifiedKey> verify(String key) {
        Optional<VerifiedKey> verified = verifier.verify(key);
        verified.ifPresent(valid -> lastUsed.used(valid.keyId(), clock.instant()));
        return verified;
    }

    /**
     * Whether the key stored under {@code keyHash} (the hex SHA-256 of the key, as {@link #hash} gives it) is still
     * valid; from memory like {@link #verify}. For holders of something issued to a key (signaling tokens), so that
     * revoking the key ends it too.
     */
    public boolean usable(String keyHash) {
        return verifier.usable(keyHash);
    }

    /** The hex SHA-256 a key is stored and looked up under; not secret, and never the key itself. */
    public static String hash(String key) {
        return HexFormat.of().formatHex(Tokens.sha256(key));
    }

    /**
     * The publishable key a player presents, checked for the browser origin it came from (null: not a
     * browser, e.g. a native or TV app, where the key alone identifies the tenant).
     *
     * @throws UnauthenticatedException when the key is missing, unknown, revoked, expired or a secret key
     * @throws ForbiddenException when the origin is not one of the key's allowed origins
     */
    VerifiedKey verifyPlayer(String key, String origin) {
        if (key == null || key.isBlank()) {
            throw new UnauthenticatedException("Pass your publishable key as key=mesh_pk_...");
        }
        if (KeyKind.SECRET.matches(key)) {
            throw new UnauthenticatedException("This is a secret key; players must use a publishable key "
                    + "(mesh_pk_...). Revoke the secret key if it was published.");
        }
        VerifiedKey verified = verify(key).filter(k -> k.kind() == KeyKind.PUBLISHABLE)
                .orElseThrow(() -> new UnauthenticatedException("The key is unknown, revoked or expired."));
        if (origin != null && !Origins.allows(verified.allowedOrigins(), origin)) {
            verifier.countOriginRefused();
            throw new ForbiddenException("Origin " + origin + " is not allowed for this key; add it to the key's "
                    + "allowed origins in the dashboard.");
        }
        return verified;
    }

    private IssuedKey store(UUID tenantId, NewKey newKey, String key, Actor actor) {
        List<FieldError> errors = new ArrayList<>(checks.problems(newKey));
        Instant now = clock.instant();
        if (newKey.expiresAt() != null && !newKey.expiresAt().isAfter(now)) {
            errors.add(new FieldError("expiresAt", "must be in the future"));
        }
        List<String> origins = InvalidInputException.collect(errors,
                () -> Origins.normalise("allowedOrigins", newKey.allowedOrigins()));
        if (newKey.kind() == KeyKind.SECRET && origins != null && !origins.isEmpty()) {
            errors.add(new FieldError("allowedOrigins", "only publishable keys have allowed origins"));
        }
        InvalidInputException.check(errors, () -> requireRole(newKey));
        InvalidInputException.throwIfAny(errors);
        String name = newKey.name().strip();
        byte[] hash = Tokens.sha256(key);
        ApiKey stored = keys.save(new ApiKey(tenantId, newKey.kind(), newKey.role(), name, key, hash, origins,
                actor.name(), now, newKey.expiresAt()));
        // A lookup of this key may have been cached as "unknown" before it existed, here or on other nodes.
        verifier.forget(hash);
        changed(hash);
        audit(tenantId, "API_KEY_CREATED", actor, stored, Map.of("allowedOrigins", origins,
                "expiresAt", newKey.expiresAt() == null ? "never" : newKey.expiresAt().toString()));
        return new IssuedKey(stored.view(now, null), key);
    }

    private static void requireRole(NewKey newKey) {
        if (newKey.kind() == KeyKind.SECRET && newKey.role() == Role.OWNER) {
            throw new InvalidInputException("role", "must be ADMIN, OPS or VIEWER (no key is OWNER)");
        }
        if (newKey.kind() == KeyKind.PUBLISHABLE && newKey.role() != null) {
            throw new InvalidInputException("role", "only secret keys have a role; publishable keys only serve players");
        }
    }

    private void changed(byte[] keyHash) {
        events.publishEvent(new ApiKeyChanged(HexFormat.of().formatHex(keyHash)));
    }

    private void audit(UUID tenantId, String type, Actor actor, ApiKey key, Map<String, ?> extra) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("keyId", key.id().toString());
        details.put("kind", key.kind().name());
        if (key.role() != null) {
            details.put("role", key.role().name());
        }
        details.put("name", key.name());
        details.put("prefix", key.displayPrefix());
        details.putAll(extra);
        auditLog.record(new AuditRecord(tenantId, type, actor.name(), actor.source(), actor.clientIp(), details));
    }
}
