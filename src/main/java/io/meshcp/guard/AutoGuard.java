package io.meshcp.guard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.meshcp.analytics.Analytics;
import io.meshcp.analytics.AnalyticsQuery;
import io.meshcp.analytics.CohortDifference;
import io.meshcp.audit.AuditLog;
import io.meshcp.audit.AuditRecord;
import io.meshcp.database.DatabaseScope;
import io.meshcp.database.TenantId;
import io.meshcp.policies.Policies;
import io.meshcp.policies.PolicyResolver;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Source;
import io.meshcp.shared.problems.FieldError;
import io.meshcp.shared.problems.InputChecks;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.shared.problems.RetryLaterException;
import io.meshcp.streams.Streams;
import io.meshcp.telemetry.Dimension;
import io.meshcp.webhooks.WebhookEventType;
import io.meshcp.webhooks.Webhooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The auto-guard: p2p that switches itself off for a stream when it hurts the stream's viewers. Every
 * evaluation period, for each stream it watches (opt-in, per organisation and per stream), it compares the rebuffer
 * ratio of the p2p cohort with the holdout's over a sliding window, from per-session values (analytics'
 * {@link CohortDifference}); when the whole 95% confidence interval of the difference lies above the margin, and each
 * cohort has at least the minimum of sessions, it engages the stream's kill switch as the guard's (players are told
 * {@code AUTO_GUARD}), records its evidence, audits it and tells the organisation's webhooks. A person releases it,
 * or it releases itself after the set time. Windows never reach back before the guard's last action on the stream,
 * so a released stream is judged on what happened since.
 *
 * <p>Every node evaluates; engaging a switch that is on changes nothing, so the first node to act is the only one
 * that records, audits and notifies.
 */
@Service
public class AutoGuard {

    private static final Logger log = LoggerFactory.getLogger(AutoGuard.class);

    private final JdbcTemplate jdbc;

    private final TransactionOperations transactions;

    private final Analytics analytics;

    private final Policies policies;

    private final PolicyResolver resolver;

    private final Streams streams;

    private final Webhooks webhooks;

    private final AuditLog auditLog;

    private final InputChecks checks;

    private final Clock clock;

    AutoGuard(JdbcTemplate jdbc, TransactionOperations transactions, Analytics analytics, Policies policies,
            PolicyResolver resolver, Streams streams, Webhooks webhooks, AuditLog auditLog, InputChecks checks,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.analytics = analytics;
        this.policies = policies;
        this.resolver = resolver;
        this.streams = streams;
        this.webhooks = webhooks;
        this.auditLog = auditLog;
        this.checks = checks;
        this.clock = clock;
    }

    // --- settings

    /** The organisation's default ({@code streamId} null) or a stream's own settings; empty when none are set. */
    @Transactional(readOnly = true)
    public Optional<GuardSettings> settings(@TenantId UUID tenantId, UUID streamId) {
        if (streamId != null) {
            streams.get(tenantId, streamId);
        }
        return read(tenantId, streamId);
    }

    /** The streams with settings of their own, by stream id. */
    @Transactional(readOnly = true)
    public Map<UUID, GuardSettings> streamSettings(@TenantId UUID tenantId) {
        Map<UUID, GuardSettings> own = new LinkedHashMap<>();
        jdbc.query("select stream_id, enabled, margin, window_minutes, min_sessions, release_after_minutes from "
                + "auto_guard_settings where tenant_id = ? and stream_id is not null order by updated_at", row -> {
                    own.put(row.getObject(1, UUID.class), new GuardSettings(row.getBoolean(2), row.getDouble(3),
                            row.getInt(4), row.getInt(5), (Integer) row.getObject(6)));
                }, tenantId);
        return own;
    }

    /** What applies to a stream: its own settings, else the organisation's default, else off. */
    @Transactional(readOnly = true)
    public GuardSettings effective(@TenantId UUID tenantId, UUID streamId) {
        streams.get(tenantId, streamId);
        return effectiveOf(tenantId, streamId);
    }

    private GuardSettings effectiveOf(UUID tenantId, UUID streamId) {
        return read(tenantId, streamId).or(() -> read(tenantId, null)).orElse(GuardSettings.DEFAULT);
    }

    private Optional<GuardSettings> read(UUID tenantId, UUID streamId) {
        return jdbc.query("select enabled, margin, window_minutes, min_sessions, release_after_minutes from "
                + "auto_guard_settings where tenant_id = ? and stream_id is not distinct from ?", SETTINGS, tenantId,
                streamId).stream().findFirst();
    }

    @Transactional
    public GuardSettings replace(@TenantId UUID tenantId, UUID streamId, GuardSettings settings, Actor actor) {
        if (streamId != null) {
            streams.get(tenantId, streamId);
        }
        List<FieldError> errors = checks.problems(settings);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        jdbc.update("""
                insert into auto_guard_settings (tenant_id, stream_id, enabled, margin, window_minutes, min_sessions,
                    release_after_minutes, updated_at, updated_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (tenant_id, coalesce(stream_id, '00000000-0000-0000-0000-000000000000'::uuid)) do update
                set enabled = excluded.enabled, margin = excluded.margin, window_minutes = excluded.window_minutes,
                    min_sessions = excluded.min_sessions, release_after_minutes = excluded.release_after_minutes,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by""", tenantId, streamId,
                settings.enabled(), settings.margin(), settings.windowMinutes(), settings.minSessions(),
                settings.releaseAfterMinutes(), timestamp(clock.instant()), actor.name());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scope", streamId == null ? "tenant" : streamId.toString());
        details.put("enabled", settings.enabled());
        details.put("margin", settings.margin());
        details.put("windowMinutes", settings.windowMinutes());
        details.put("minSessions", settings.minSessions());
        if (settings.releaseAfterMinutes() != null) {
            details.put("releaseAfterMinutes", settings.releaseAfterMinutes());
        }
        auditLog.record(new AuditRecord(tenantId, "AUTO_GUARD_SETTINGS_CHANGED", actor.name(), actor.source(),
                actor.clientIp(), details));
        return settings;
    }

    /** A stream goes back to the organisation's default. */
    @Transactional
    public void inherit(@TenantId UUID tenantId, UUID streamId, Actor actor) {
        streams.get(tenantId, streamId);
        if (jdbc.update("delete from auto_guard_settings where tenant_id = ? and stream_id = ?", tenantId,
                streamId) == 1) {
            auditLog.record(new AuditRecord(tenantId, "AUTO_GUARD_SETTINGS_CHANGED", actor.name(), actor.source(),
                    actor.clientIp(), Map.of("scope", streamId.toString(), "inherits", true)));
        }
    }

    /** What the guard did in the organisation, newest first. */
    @Transactional(readOnly = true)
    public List<GuardAction> actions(@TenantId UUID tenantId, int limit) {
        return jdbc.query("select id, stream_id, acted_at, p2p_rebuffer, holdout_rebuffer, difference_low, "
                + "difference_high, p2p_sessions, holdout_sessions, margin, window_minutes, release_at from "
                + "auto_guard_actions where tenant_id = ? order by acted_at desc, id desc limit ?", ACTION, tenantId,
                Math.min(Math.max(limit, 1), 200));
    }

    // --- evaluation

    @Scheduled(fixedDelayString = "${meshcp.auto-guard.evaluation-period:1m}",
            initialDelayString = "${meshcp.auto-guard.evaluation-period:1m}")
    void scheduledEvaluation() {
        try {
            evaluate();
        }
        catch (DataAccessException e) {
            log.warn("The auto-guard could not evaluate its streams; it tries again next period: {}", e.toString());
        }
    }

    /** One evaluation of every stream the guard watches; what it acted on. */
    List<GuardAction> evaluate() {
        // The system scope: the organisations with the guard on anywhere, a handful of rows each.
        List<UUID> tenants = DatabaseScope.system(() -> transactions.execute(status -> jdbc.queryForList(
                "select distinct tenant_id from auto_guard_settings where enabled", UUID.class)));
        List<GuardAction> acted = new ArrayList<>();
        try {
            for (UUID tenantId : tenants) {
                for (UUID streamId : watched(tenantId)) {
                    evaluate(tenantId, streamId).ifPresent(acted::add);
                }
            }
        }
        catch (RetryLaterException e) {
            log.info("Analytics is saturated; the auto-guard goes on at its next evaluation");
        }
        return acted;
    }

    /** The streams the guard watches: each with its own setting on, and, with the default on, every stream watched. */
    private Set<UUID> watched(UUID tenantId) {
        return DatabaseScope.tenant(tenantId, () -> {
            Set<UUID> watched = new LinkedHashSet<>();
            Optional<GuardSettings> fallback = transactions.execute(status -> read(tenantId, null));
            if (fallback.isPresent() && fallback.get().enabled()) {
                Instant now = clock.instant();
                analytics.breakdown(tenantId, query(null, now.minus(Duration.ofMinutes(
                        fallback.get().windowMinutes())), now), Dimension.STREAM)
                        .forEach(group -> watched.add(UUID.fromString(group.group())));
            }
            watched.addAll(transactions.execute(status -> jdbc.queryForList("select stream_id from "
                    + "auto_guard_settings where tenant_id = ? and stream_id is not null and enabled", UUID.class,
                    tenantId)));
            return watched;
        });
    }

    private Optional<GuardAction> evaluate(UUID tenantId, UUID streamId) {
        return DatabaseScope.tenant(tenantId, () -> {
            GuardSettings settings = transactions.execute(status -> effectiveOf(tenantId, streamId));
            if (!settings.enabled() || resolver.resolve(tenantId, streamId).killed()) {
                return Optional.<GuardAction>empty();
            }
            Instant now = clock.instant();
            Instant from = now.minus(Duration.ofMinutes(settings.windowMinutes()));
            Instant lastAction = transactions.execute(status -> jdbc.query("select max(acted_at) from "
                    + "auto_guard_actions where tenant_id = ? and stream_id = ?",
                    (row, n) -> instant(row.getObject(1, OffsetDateTime.class)), tenantId, streamId).getFirst());
            if (lastAction != null && lastAction.isAfter(from)) {
                from = lastAction;
            }
            if (!from.isBefore(now)) {
                return Optional.<GuardAction>empty(); // it acted this very moment: nothing since to judge
            }
            CohortDifference rebuffer = analytics.holdout(tenantId, query(streamId, from, now)).rebufferRatio();
            if (!hurts(rebuffer, settings)) {
                return Optional.<GuardAction>empty();
            }
            return transactions.execute(status -> act(tenantId, streamId, settings, rebuffer, now));
        });
    }

    /** p2p is worse beyond the margin at 95% confidence, with enough sessions in each cohort to tell. */
    static boolean hurts(CohortDifference rebuffer, GuardSettings settings) {
        return rebuffer.low() != null && rebuffer.p2pSessions() >= settings.minSessions()
                && rebuffer.holdoutSessions() >= settings.minSessions() && rebuffer.low() > settings.margin();
    }

    private Optional<GuardAction> act(UUID tenantId, UUID streamId, GuardSettings settings, CohortDifference rebuffer,
            Instant now) {
        Instant releaseAt = settings.releaseAfterMinutes() == null ? null
                : now.plus(Duration.ofMinutes(settings.releaseAfterMinutes()));
        String reason = String.format(Locale.ROOT, "AUTO_GUARD: p2p viewers stalled %.2f%% of their watch time, "
                + "holdout viewers %.2f%% (difference %.2f to %.2f points at 95%%, %d and %d sessions, last %d min)",
                100 * rebuffer.p2p(), 100 * rebuffer.holdout(), 100 * rebuffer.low(), 100 * rebuffer.high(),
                rebuffer.p2pSessions(), rebuffer.holdoutSessions(), settings.windowMinutes());
        if (!policies.engageAutoGuard(tenantId, streamId, reason, releaseAt)) {
            return Optional.empty(); // on already: a person's switch, or another node acted first
        }
        long id = jdbc.queryForObject("""
                insert into auto_guard_actions (tenant_id, stream_id, acted_at, p2p_rebuffer, holdout_rebuffer,
                    difference_low, difference_high, p2p_sessions, holdout_sessions, margin, window_minutes, release_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""", Long.class, tenantId, streamId,
                timestamp(now), rebuffer.p2p(), rebuffer.holdout(), rebuffer.low(), rebuffer.high(),
                rebuffer.p2pSessions(), rebuffer.holdoutSessions(), settings.margin(), settings.windowMinutes(),
                releaseAt == null ? null : timestamp(releaseAt));
        GuardAction action = new GuardAction(id, streamId, now, rebuffer.p2p(), rebuffer.holdout(), rebuffer.low(),
                rebuffer.high(), rebuffer.p2pSessions(), rebuffer.holdoutSessions(), settings.margin(),
                settings.windowMinutes(), releaseAt);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("streamId", streamId.toString());
        evidence.put("p2pRebufferRatio", rebuffer.p2p());
        evidence.put("holdoutRebufferRatio", rebuffer.holdout());
        evidence.put("differenceLow", rebuffer.low());
        evidence.put("differenceHigh", rebuffer.high());
        evidence.put("p2pSessions", rebuffer.p2pSessions());
        evidence.put("holdoutSessions", rebuffer.holdoutSessions());
        evidence.put("margin", settings.margin());
        evidence.put("windowMinutes", settings.windowMinutes());
        if (releaseAt != null) {
            evidence.put("releaseAt", releaseAt.toString());
        }
        auditLog.record(new AuditRecord(tenantId, "AUTO_GUARD_ACTED", "auto-guard", Source.SYSTEM, null, evidence));
        webhooks.publish(tenantId, WebhookEventType.AUTO_GUARD_ACTED, evidence, null);
        log.info("Auto-guard switched p2p off for stream {} of organisation {}: {}", streamId, tenantId, reason);
        return Optional.of(action);
    }

    private static AnalyticsQuery query(UUID streamId, Instant from, Instant to) {
        return new AnalyticsQuery(from, to, ZoneOffset.UTC, streamId, null, null, null, null);
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    private static final RowMapper<GuardSettings> SETTINGS = (row, n) -> new GuardSettings(row.getBoolean(1),
            row.getDouble(2), row.getInt(3), row.getInt(4), (Integer) row.getObject(5));

    private static final RowMapper<GuardAction> ACTION = (row, n) -> new GuardAction(row.getLong(1),
            row.getObject(2, UUID.class), row.getObject(3, OffsetDateTime.class).toInstant(), row.getDouble(4),
            row.getDouble(5), row.getDouble(6), row.getDouble(7), row.getLong(8), row.getLong(9), row.getDouble(10),
            row.getInt(11), instant(row.getObject(12, OffsetDateTime.class)));
}
