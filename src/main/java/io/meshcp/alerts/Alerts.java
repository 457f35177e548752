package io.meshcp.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.meshcp.analytics.Analytics;
import io.meshcp.analytics.AnalyticsQuery;
import io.meshcp.analytics.CohortDifference;
import io.meshcp.audit.AuditLog;
import io.meshcp.audit.AuditRecord;
import io.meshcp.database.DatabaseScope;
import io.meshcp.database.TenantId;
import io.meshcp.policies.LiveEventView;
import io.meshcp.policies.LiveEvents;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.problems.ConflictException;
import io.meshcp.shared.problems.FieldError;
import io.meshcp.shared.problems.InputChecks;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.shared.problems.NotFoundException;
import io.meshcp.shared.problems.RetryLaterException;
import io.meshcp.signaling.SignalingMinutes;
import io.meshcp.streams.StreamView;
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
 * Alert rules, their state on each stream they watch, and their history. Every evaluation period each node checks
 * every enabled rule on each stream it applies to, over the rule's window (the last {@code forMinutes}, or since the
 * live event began when that is later): the condition holding over the whole window fires the alert, holding over
 * the part of it seen so far makes it pending, and no longer holding resolves it. A transition is one statement on
 * the state's row, so two nodes evaluating at once record, audit and send each transition once.
 */
@Service
public class Alerts {

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);

    static final int MAX_RULES = 50;

    /** Fewer tracker sockets than this in a window, and a share of them refused says nothing. */
    static final int MIN_SOCKETS = 20;

    private final JdbcTemplate jdbc;

    private final TransactionOperations transactions;

    private final Analytics analytics;

    private final LiveEvents liveEvents;

    private final Streams streams;

    private final Webhooks webhooks;

    private final SignalingMinutes signaling;

    private final AuditLog auditLog;

    private final InputChecks checks;

    private final Clock clock;

    Alerts(JdbcTemplate jdbc, TransactionOperations transactions, Analytics analytics, LiveEvents liveEvents,
            Streams streams, Webhooks webhooks, SignalingMinutes signaling, AuditLog auditLog, InputChecks checks,
            Clock clock) {
        this.signaling = signaling;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.analytics = analytics;
        this.liveEvents = liveEvents;
        this.streams = streams;
        this.webhooks = webhooks;
        this.auditLog = auditLog;
        this.checks = checks;
        this.clock = clock;
    }

    // --- rules

    @Transactional(readOnly = true)
    public List<AlertRule> rules(@TenantId UUID tenantId) {
        return jdbc.query("select * from alert_rules where tenant_id = ? order by created_at, id", RULE, tenantId);
    }

    @Transactional(readOnly = true)
    public AlertRule rule(@TenantId UUID tenantId, UUID id) {
        return find(tenantId, id);
    }

    @Transactional
    public AlertRule create(@TenantId UUID tenantId, AlertRuleRequest request, Actor actor) {
        check(tenantId, request);
        Integer count = jdbc.queryForObject("select count(*) from alert_rules where tenant_id = ?", Integer.class,
                tenantId);
        if (count != null && count >= MAX_RULES) {
            throw new ConflictException("an organisation has at most " + MAX_RULES
                    + " alert rules; delete one first");
        }
        UUID id = UUID.randomUUID();
        jdbc.update("insert into alert_rules (id, tenant_id, stream_id, kind, threshold, for_minutes, enabled, "
                + "created_at, created_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, tenantId, request.streamId(),
                request.kind().name(), request.threshold(), request.forMinutes(),
                request.enabled() == null || request.enabled(), timestamp(clock.instant()), actor.name());
        AlertRule created = find(tenantId, id);
        audit(tenantId, "ALERT_RULE_CREATED", actor, created);
        return created;
    }

    @Transactional
    public AlertRule update(@TenantId UUID tenantId, UUID id, AlertRuleRequest request, Actor actor) {
        find(tenantId, id);
        check(tenantId, request);
        // A changed rule starts afresh: what it said before was about another condition.
        jdbc.update("delete from alert_states where rule_id = ?", id);
        jdbc.update("update alert_rules set stream_id = ?, kind = ?, threshold = ?, for_minutes = ?, enabled = ? "
                + "where tenant_id = ? and id = ?", request.streamId(), request.kind().name(), request.threshold(),
                request.forMinutes(), request.enabled() == null || request.enabled(), tenantId, id);
        AlertRule updated = find(tenantId, id);
        audit(tenantId, "ALERT_RULE_CHANGED", actor, updated);
        return updated;
    }

    @Transactional
    public void delete(@TenantId UUID tenantId, UUID id, Actor actor) {
        AlertRule rule = find(tenantId, id);
        jdbc.update("delete from alert_rules where tenant_id = ? and id = ?", tenantId, id);
        audit(tenantId, "ALERT_RULE_DELETED", actor, rule);
    }

    // --- states and history

    /** Pending and firing alerts, firing first, newest first. */
    @Transactional(readOnly = true)
    public List<Alert> alerts(@TenantId UUID tenantId) {
        record Row(UUID rule, UUID stream, AlertKind kind, double threshold, String state, Instant since,
                Double value) {
        }
        List<Row> rows = jdbc.query("""
                select s.rule_id, s.stream_id, r.kind, r.threshold, s.state, s.since, s.value
                from alert_states s join alert_rules r on r.id = s.rule_id where s.tenant_id = ?
                order by s.state = 'FIRING' desc, s.since desc""", (row, n) -> new Row(row.getObject(1, UUID.class),
                row.getObject(2, UUID.class), AlertKind.valueOf(row.getString(3)), row.getDouble(4), row.getString(5),
                instant(row.getObject(6, OffsetDateTime.class)), (Double) row.getObject(7)), tenantId);
        // Names after the rows are read: each is a lookup of its own.
        return rows.stream().map(row -> new Alert(row.rule(), row.stream(), streamName(tenantId, row.stream()),
                row.kind(), row.kind().describe(row.threshold()), row.state(), row.since(), row.value())).toList();
    }

    @Transactional(readOnly = true)
    public List<AlertTransition> history(@TenantId UUID tenantId, int limit) {
        return jdbc.query("select id, rule_id, stream_id, kind, transition, at, value, detail from alert_history "
                + "where tenant_id = ? order by at desc, id desc limit ?", (row, n) -> new AlertTransition(
                        row.getLong(1), row.getObject(2, UUID.class), row.getObject(3, UUID.class),
                        AlertKind.valueOf(row.getString(4)), row.getString(5),
                        instant(row.getObject(6, OffsetDateTime.class)), (Double) row.getObject(7), row.getString(8)),
                tenantId, Math.min(Math.max(limit, 1), 200));
    }

    // --- evaluation

    @Scheduled(fixedDelayString = "${meshcp.alerts.evaluation-period:1m}",
            initialDelayString = "${meshcp.alerts.evaluation-period:1m}")
    void scheduledEvaluation() {
        try {
            evaluate(clock.instant());
        }
        catch (DataAccessException e) {
            log.warn("Alert rules could not be evaluated; they are next period: {}", e.toString());
        }
    }

    /** One evaluation of every enabled rule, as of {@code now}. */
    void evaluate(Instant now) {
        // The system scope: the organisations with an enabled rule, each then evaluated in its own scope.
        List<UUID> tenants = DatabaseScope.system(() -> transactions.execute(status -> jdbc.queryForList(
                "select distinct tenant_id from alert_rules where enabled", UUID.class)));
        for (UUID tenantId : tenants) {
            try {
                DatabaseScope.tenant(tenantId, () -> evaluateTenant(tenantId, now));
            }
            catch (RetryLaterException e) {
                return; // analytics is saturated: the next period goes on
            }
        }
    }

    private void evaluateTenant(UUID tenantId, Instant now) {
        List<AlertRule> rules = transactions.execute(status -> jdbc.query("select * from alert_rules where "
                + "tenant_id = ? and enabled", RULE, tenantId));
        Map<UUID, Instant> liveSince = new HashMap<>();
        for (LiveEventView event : liveEvents.onDuring(tenantId, null, now, now.plusMillis(1), 500)) {
            liveSince.merge(event.streamId(), event.startsAt(), (a, b) -> a.isBefore(b) ? a : b);
        }
        for (AlertRule rule : rules) {
            Instant windowStart = now.minus(Duration.ofMinutes(rule.forMinutes()));
            Map<UUID, Instant> subjects = new LinkedHashMap<>();
            if (rule.kind().duringLiveEvents()) {
                liveSince.forEach((stream, since) -> {
                    if (rule.streamId() == null || rule.streamId().equals(stream)) {
                        subjects.put(stream, since.isAfter(windowStart) ? since : windowStart);
                    }
                });
            }
            else if (rule.streamId() != null) {
                subjects.put(rule.streamId(), windowStart);
            }
            else if (rule.kind() == AlertKind.SIGNALING_REFUSALS) {
                signaling.streamsWithSockets(tenantId, windowStart, now)
                        .forEach(stream -> subjects.put(stream, windowStart));
            }
            else {
                analytics.breakdown(tenantId, query(null, windowStart, now), Dimension.STREAM)
                        .forEach(group -> subjects.put(UUID.fromString(group.group()), windowStart));
            }
            Set<UUID> seen = new HashSet<>();
            subjects.forEach((stream, from) -> {
                seen.add(stream);
                if (!from.isBefore(now)) {
                    return; // a live event that begins this very moment: nothing to look at yet
                }
                Measurement measured = measure(tenantId, rule, stream, from, now);
                transactions.executeWithoutResult(status -> settle(tenantId, rule, stream, measured,
                        !from.isAfter(windowStart), now));
            });
            // A stream the rule no longer watches (its live event ended) has nothing left to alert about.
            transactions.executeWithoutResult(status -> jdbc.queryForList("select stream_id from alert_states "
                    + "where rule_id = ?", UUID.class, rule.id()).stream().filter(stream -> !seen.contains(stream))
                    .forEach(stream -> settle(tenantId, rule, stream, new Measurement(false, null,
                            "no longer watched (its live event ended)"), true, now)));
        }
    }

    private record Measurement(boolean holds, Double value, String detail) {
    }

    private Measurement measure(UUID tenantId, AlertRule rule, UUID stream, Instant from, Instant now) {
        return switch (rule.kind()) {
            case OFFLOAD_BELOW -> {
                Double offload = analytics.summary(tenantId, query(stream, from, now)).total().offload();
                yield new Measurement(offload != null && offload < rule.threshold(), offload, offload == null
                        ? "no bytes delivered" : String.format(Locale.ROOT, "offload %.1f%%",
                                100 * offload));
            }
            case NO_HEARTBEATS -> {
                long events = analytics.summary(tenantId, query(stream, from, now)).total().events();
                yield new Measurement(events == 0, (double) events, events + " heartbeats");
            }
            case SIGNALING_REFUSALS -> {
                SignalingMinutes.Activity sockets = signaling.activity(tenantId, stream, from, now);
                Double share = sockets.refusedShare();
                boolean enough = sockets.admitted() + sockets.refused() >= MIN_SOCKETS;
                yield new Measurement(enough && share != null && share > rule.threshold(), share,
                        sockets.refused() + " of " + (sockets.admitted() + sockets.refused()) + " sockets refused");
            }
            case P2P_REBUFFER_WORSE -> {
                CohortDifference rebuffer = analytics.holdout(tenantId, query(stream, from, now)).rebufferRatio();
                boolean holds = rebuffer.low() != null && rebuffer.low() > rule.threshold();
                yield new Measurement(holds, rebuffer.low(), rebuffer.low() == null ? "too few sessions to tell"
                        : String.format(Locale.ROOT, "p2p %.2f%%, holdout %.2f%% (difference %.2f to %.2f "
                                + "points at 95%%)", 100 * rebuffer.p2p(), 100 * rebuffer.holdout(),
                                100 * rebuffer.low(), 100 * rebuffer.high()));
            }
        };
    }

    /** One statement per transition: a transition another node made first is not made, told or recorded again. */
    private void settle(UUID tenantId, AlertRule rule, UUID stream, Measurement measured, boolean wholeWindow,
            Instant now) {
        if (measured.holds() && wholeWindow) {
            List<Instant> fired = jdbc.query("""
                    insert into alert_states (rule_id, stream_id, tenant_id, state, since, value)
                    values (?, ?, ?, 'FIRING', ?, ?)
                    on conflict (rule_id, stream_id) do update set state = 'FIRING', since = excluded.since,
                        value = excluded.value
                    where alert_states.state <> 'FIRING' returning since""",
                    (row, n) -> instant(row.getObject(1, OffsetDateTime.class)), rule.id(), stream, tenantId,
                    timestamp(now), measured.value());
            if (!fired.isEmpty()) {
                transition(tenantId, rule, stream, "FIRED", measured, now);
            }
            else {
                jdbc.update("update alert_states set value = ? where rule_id = ? and stream_id = ?", measured.value(),
                        rule.id(), stream);
            }
        }
        else if (measured.holds()) {
            jdbc.update("insert into alert_states (rule_id, stream_id, tenant_id, state, since, value) values "
                    + "(?, ?, ?, 'PENDING', ?, ?) on conflict (rule_id, stream_id) do update set value = "
                    + "excluded.value", rule.id(), stream, tenantId, timestamp(now), measured.value());
        }
        else {
            List<String> ended = jdbc.queryForList("delete from alert_states where rule_id = ? and stream_id = ? "
                    + "returning state", String.class, rule.id(), stream);
            if (ended.contains("FIRING")) {
                transition(tenantId, rule, stream, "RESOLVED", measured, now);
            }
        }
    }

    private void transition(UUID tenantId, AlertRule rule, UUID stream, String transition, Measurement measured,
            Instant now) {
        String detail = rule.description() + ": " + measured.detail();
        jdbc.update("insert into alert_history (tenant_id, rule_id, stream_id, kind, transition, at, value, detail) "
                + "values (?, ?, ?, ?, ?, ?, ?, ?)", tenantId, rule.id(), stream, rule.kind().name(), transition,
                timestamp(now), measured.value(), detail.length() > 500 ? detail.substring(0, 500) : detail);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("alertRuleId", rule.id().toString());
        data.put("streamId", stream.toString());
        data.put("streamName", streamName(tenantId, stream));
        data.put("kind", rule.kind().name());
        data.put("description", rule.description());
        data.put("threshold", rule.threshold());
        data.put("forMinutes", rule.forMinutes());
        data.put("value", measured.value());
        data.put("detail", measured.detail());
        webhooks.publish(tenantId, transition.equals("FIRED") ? WebhookEventType.ALERT_FIRED
                : WebhookEventType.ALERT_RESOLVED, data, null);
        log.info("Alert {} on stream {} of organisation {}: {}", transition.toLowerCase(Locale.ROOT),
                stream, tenantId, detail);
    }

    // --- helpers

    private void check(UUID tenantId, AlertRuleRequest request) {
        List<FieldError> errors = new ArrayList<>(checks.problems(request));
        if (request.streamId() != null && streams.findById(tenantId, request.streamId()).isEmpty()) {
            errors.add(new FieldError("streamId", "is not a stream of this organisation"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    private AlertRule find(UUID tenantId, UUID id) {
        List<AlertRule> found = jdbc.query("select * from alert_rules where tenant_id = ? and id = ?", RULE, tenantId,
                id);
        if (found.isEmpty()) {
            throw new NotFoundException("alert rule");
        }
        return found.getFirst();
    }

    private String streamName(UUID tenantId, UUID stream) {
        return streams.findById(tenantId, stream).map(StreamView::name).orElse("a removed stream");
    }

    private void audit(UUID tenantId, String type, Actor actor, AlertRule rule) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ruleId", rule.id().toString());
        details.put("description", rule.description());
        details.put("scope", rule.streamId() == null ? "tenant" : rule.streamId().toString());
        details.put("forMinutes", rule.forMinutes());
        details.put("enabled", rule.enabled());
        auditLog.record(new AuditRecord(tenantId, type, actor.name(), actor.source(), actor.clientIp(), details));
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

    private static final RowMapper<AlertRule> RULE = (row, n) -> {
        AlertKind kind = AlertKind.valueOf(row.getString("kind"));
        double threshold = row.getDouble("threshold");
        return new AlertRule(row.getObject("id", UUID.class), row.getObject("stream_id", UUID.class), kind, threshold,
                row.getInt("for_minutes"), row.getBoolean("enabled"), kind.describe(threshold),
                instant(row.getObject("created_at", OffsetDateTime.class)), row.getString("created_by"));
    };
}
