package io.meshcp.policies;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.meshcp.audit.AuditLog;
import io.meshcp.audit.AuditRecord;
import io.meshcp.database.TenantId;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Source;
import io.meshcp.shared.problems.FieldError;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.shared.problems.NotFoundException;
import io.meshcp.shared.problems.VersionMismatchException;
import io.meshcp.streams.Streams;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reading and replacing the tenant default and stream overrides, their history and restore, and the
 * kill switches. Every write takes the version it was based on (optimistic concurrency), creates a new
 * version, is audited, and drops cached resolutions once committed.
 */
@Service
public class Policies {

    /** The longest an engaged kill switch may be set to release itself after. */
    public static final Duration LONGEST_AUTOMATIC_RELEASE = Duration.ofDays(7);

    private static final Actor AUTOMATIC_RELEASE = new Actor("automatic release", Source.SYSTEM, null);

    private static final Actor AUTO_GUARD = new Actor("auto-guard", Source.SYSTEM, null);

    private final PolicyVersionRepository versions;

    private final KillSwitchStore killSwitches;

    private final PolicyCodec codec;

    private final PolicyResolver resolver;

    private final Streams streams;

    private final AuditLog auditLog;

    private final ApplicationEventPublisher events;

    private final JdbcTemplate jdbc;

    private final Clock clock;

    Policies(PolicyVersionRepository versions, KillSwitchStore killSwitches, PolicyCodec codec,
            PolicyResolver resolver, Streams streams, AuditLog auditLog, ApplicationEventPublisher events,
            JdbcTemplate jdbc, Clock clock) {
        this.versions = versions;
        this.killSwitches = killSwitches;
        this.codec = codec;
        this.resolver = resolver;
        this.streams = streams;
        this.auditLog = auditLog;
        this.events = events;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public PolicyDocument tenantPolicy(@TenantId UUID tenantId) {
        return document(tenantId, null, versions.latestTenantVersion(tenantId));
    }

    @Transactional(readOnly = true)
    public PolicyDocument streamPolicy(@TenantId UUID tenantId, UUID streamId) {
        streams.get(tenantId, streamId);
        return document(tenantId, streamId, versions.latestStreamVersion(tenantId, streamId));
    }

    /** Replaces what the tenant default sets. {@code ifMatch} is the ETag the change was based on. */
    @Transactional
    public PolicyDocument replaceTenantPolicy(@TenantId UUID tenantId, PolicyFields fields, String ifMatch, Actor actor) {
        return save(tenantId, null, validate(fields), ifMatch, null, actor);
    }

    @Transactional
    public PolicyDocument replaceStreamPolicy(@TenantId UUID tenantId, UUID streamId, PolicyFields fields, String ifMatch,
            Actor actor) {
        streams.get(tenantId, streamId);
        return save(tenantId, streamId, validate(fields), ifMatch, null, actor);
    }

    /** Makes an earlier version current again, as a new version. {@code streamId} null: the tenant default. */
    @Transactional
    public PolicyDocument restore(@TenantId UUID tenantId, UUID streamId, int version, String ifMatch, Actor actor) {
        if (streamId != null) {
            streams.get(tenantId, streamId);
        }
        List<PolicyVersion> history = streamId == null ? versions.tenantHistory(tenantId)
                : versions.streamHistory(tenantId, streamId);
        PolicyVersion old = history.stream().filter(v -> v.version() == version).findFirst()
                .orElseThrow(() -> new NotFoundException("policy version " + version));
        return save(tenantId, streamId, codec.read(old.fields()), ifMatch, version, actor);
    }

    @Transactional(readOnly = true)
    public List<PolicyVersionView> history(@TenantId UUID tenantId, UUID streamId) {
        if (streamId != null) {
            streams.get(tenantId, streamId);
        }
        List<PolicyVersion> history = streamId == null ? versions.tenantHistory(tenantId)
                : versions.streamHistory(tenantId, streamId);
        return history.stream().map(v -> new PolicyVersionView(v.version(), PolicyFields.of(codec.read(v.fields())),
                codec.readDiff(v.diff()), v.actor(), v.source(), v.restoredFrom(), v.createdAt())).toList();
    }

    /**
     * Turns p2p off at once for the tenant ({@code streamId} null) or one stream, until a person releases it or, when
     * {@code releaseAt} is given, until then. Engaging a switch that is on changes nothing (its reason and release
     * time included): release it first to engage it differently.
     */
    @Transactional
    public void engageKillSwitch(@TenantId UUID tenantId, UUID streamId, String reason, Instant releaseAt,
            Actor actor) {
        if (streamId != null) {
            streams.get(tenantId, streamId);
        }
        String trimmed = reason == null || reason.isBlank() ? null : reason.strip();
        List<FieldError> errors = new ArrayList<>();
        if (trimmed != null && trimmed.length() > 500) {
            errors.add(new FieldError("reason", "must be at most 500 characters"));
        }
        Instant now = clock.instant();
        if (releaseAt != null && !releaseAt.isAfter(now)) {
            errors.add(new FieldError("releaseAt", "must be in the future"));
        }
        if (releaseAt != null && releaseAt.isAfter(now.plus(LONGEST_AUTOMATIC_RELEASE))) {
            errors.add(new FieldError("releaseAt", "must be at most 7 days ahead; leave it out to keep the switch on "
                    + "until it is released"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (killSwitches.engage(tenantId, streamId, trimmed, releaseAt, actor.name(), now, false)) {
            Map<String, Object> details = new LinkedHashMap<>();
            if (trimmed != null) {
                details.put("reason", trimmed);
            }
            if (releaseAt != null) {
                details.put("releaseAt", releaseAt.toString());
            }
            auditKillSwitch(tenantId, streamId, "KILL_SWITCH_ENGAGED", actor, details);
        }
    }

    /**
     * The auto-guard turns p2p off for a stream: its kill switch, marked as the guard's so that players are told
     * {@code AUTO_GUARD}, released by a person as any switch, or at {@code releaseAt}. False when the stream's switch
     * was already on (the guard's or a person's), which it leaves as it is.
     */
    @Transactional
    public boolean engageAutoGuard(@TenantId UUID tenantId, UUID streamId, String reason, Instant releaseAt) {
        streams.get(tenantId, streamId);
        if (!killSwitches.engage(tenantId, streamId, reason, releaseAt, AUTO_GUARD.name(), clock.instant(), true)) {
            return false;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        details.put("autoGuard", true);
        if (releaseAt != null) {
            details.put("releaseAt", releaseAt.toString());
        }
        auditKillSwitch(tenantId, streamId, "KILL_SWITCH_ENGAGED", AUTO_GUARD, details);
        return true;
    }

    @Transactional
    public void releaseKillSwitch(@TenantId UUID tenantId, UUID streamId, Actor actor) {
        if (streamId != null) {
            streams.get(tenantId, streamId);
        }
        if (killSwitches.release(tenantId, streamId)) {
            auditKillSwitch(tenantId, streamId, "KILL_SWITCH_RELEASED", actor, Map.of());
        }
    }

    /** Releases the switch if its release time has come (by {@code now}); false when another node did it first. */
    @Transactional
    boolean releaseIfDue(@TenantId UUID tenantId, UUID streamId, Instant now) {
        if (killSwitches.releaseIfDue(tenantId, streamId, now)) {
            auditKillSwitch(tenantId, streamId, "KILL_SWITCH_RELEASED", AUTOMATIC_RELEASE,
                    Map.of("automatic", true));
            return true;
        }
        return false;
    }

    @Transactional(readOnly = true)
    public List<KillSwitchView> killSwitches(@TenantId UUID tenantId) {
        return killSwitches.all(tenantId);
    }

    static Map<PolicyField, Object> validate(PolicyFields fields) {
        Map<PolicyField, Object> values = (fields == null ? PolicyFields.NONE : fields).toMap();
        List<FieldError> errors = new ArrayList<>();
        values.forEach((field, value) -> {
            String problem = field.problem(value);
            if (problem != null) {
                errors.add(new FieldError(field.jsonName(), problem));
            }
        });
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return values;
    }

    private PolicyDocument save(UUID tenantId, UUID streamId, Map<PolicyField, Object> fields, String ifMatch,
            Integer restoredFrom, Actor actor) {
        // Serialises writers of one scope, so two saves based on the same version cannot both win.
        jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 0))",
                tenantId + "/" + (streamId == null ? "tenant" : streamId));
        Optional<PolicyVersion> current = streamId == null ? versions.latestTenantVersion(tenantId)
                : versions.latestStreamVersion(tenantId, streamId);
        int currentVersion = current.map(PolicyVersion::version).orElse(0);
        String etag = PolicyDocument.etag(currentVersion);
        if (ifMatch == null || !ifMatch.strip().equals(etag)) {
            throw new VersionMismatchException(ifMatch == null || ifMatch.isBlank() ? null : ifMatch.strip(), etag);
        }
        Map<PolicyField, Object> before = current.map(v -> codec.read(v.fields())).orElse(Map.of());
        if (before.equals(fields)) {
            // A save (or restore) that changes nothing is no version: history and the audit log show changes only,
            // and a client that puts the same document again gets what is in force, as PUT promises.
            return document(tenantId, streamId, current, before);
        }
        String diff = codec.diff(before, fields);
        PolicyVersion saved = versions.save(new PolicyVersion(tenantId, streamId, currentVersion + 1,
                codec.write(fields), diff, actor.name(), actor.source(), restoredFrom, clock.instant()));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scope", streamId == null ? "tenant" : streamId.toString());
        details.put("version", saved.version());
        details.put("diff", codec.readDiff(diff));
        if (restoredFrom != null) {
            details.put("restoredFrom", restoredFrom);
        }
        auditLog.record(new AuditRecord(tenantId, restoredFrom == null ? "POLICY_CHANGED" : "POLICY_RESTORED",
                actor.name(), actor.source(), actor.clientIp(), details));
        events.publishEvent(new PolicyChanged(tenantId, streamId));
        return document(tenantId, streamId, Optional.of(saved), fields);
    }

    private PolicyDocument document(UUID tenantId, UUID streamId, Optional<PolicyVersion> latest) {
        return document(tenantId, streamId, latest, latest.map(v -> codec.read(v.fields())).orElse(Map.of()));
    }

    // The effective policy is resolved from the database, not the cache, so a read after a write sees it.
    private PolicyDocument document(UUID tenantId, UUID streamId, Optional<PolicyVersion> latest,
            Map<PolicyField, Object> fields) {
        int version = latest.map(PolicyVersion::version).orElse(0);
        EffectivePolicy effective = streamId == null ? resolver.resolveTenantFresh(tenantId)
                : resolver.resolveFresh(tenantId, streamId);
        return new PolicyDocument(version, PolicyDocument.etag(version), PolicyFields.of(fields), effective);
    }

    private void auditKillSwitch(UUID tenantId, UUID streamId, String type, Actor actor, Map<String, Object> more) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scope", streamId == null ? "tenant" : streamId.toString());
        details.putAll(more);
        auditLog.record(new AuditRecord(tenantId, type, actor.name(), actor.source(), actor.clientIp(), details));
        events.publishEvent(new PolicyChanged(tenantId, streamId));
    }
}
