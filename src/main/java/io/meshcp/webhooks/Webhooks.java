package io.meshcp.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.meshcp.audit.AuditLog;
import io.meshcp.audit.AuditRecord;
import io.meshcp.database.TenantId;
import io.meshcp.shared.Tokens;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.problems.ConflictException;
import io.meshcp.shared.problems.FieldError;
import io.meshcp.shared.problems.InputChecks;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.shared.problems.NotFoundException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;
import tools.jackson.databind.json.JsonMapper;

/**
 * An organisation's webhook endpoints, the events they are told of and the log of their deliveries. An event is
 * written with a delivery per endpoint that wants it by the transaction that makes the change it tells of
 * ({@link #publish}); {@link WebhookDispatcher} sends them.
 */
@Service
public class Webhooks {

    /** The longest overlap of a rotation, during which deliveries carry both signatures. */
    public static final Duration MAX_ROTATION_OVERLAP = Duration.ofDays(7);

    static final int MAX_DELIVERIES_LISTED = 100;

    private static final String ENDPOINT_COLUMNS = "id, url, description, event_types, enabled, disabled_reason, "
            + "failing_since, previous_secret_until, created_at, created_by";

    private static final String DELIVERY_COLUMNS = "d.id, d.event_id, ev.type, d.state, d.attempts, d.created_at, "
            + "d.next_attempt_at, d.last_attempt_at, d.last_status, d.last_latency_ms, d.last_error, d.last_response, "
            + "d.delivered_at";

    private final JdbcTemplate jdbc;

    private final JsonMapper json;

    private final AuditLog auditLog;

    private final InputChecks checks;

    private final OutboundAddresses addresses;

    private final WebhooksProperties properties;

    private final Clock clock;

    private final TransactionOperations transactions;

    Webhooks(JdbcTemplate jdbc, JsonMapper json, AuditLog auditLog, InputChecks checks, WebhooksProperties properties,
            Clock clock, TransactionOperations transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.auditLog = auditLog;
        this.checks = checks;
        this.properties = properties;
        this.addresses = new OutboundAddresses(properties.allowedPrivateAddresses());
        this.clock = clock;
    }

    // --- endpoints

    @Transactional(readOnly = true)
    public List<EndpointView> list(@TenantId UUID tenantId) {
        return jdbc.query("select " + ENDPOINT_COLUMNS + " from webhook_endpoints where tenant_id = ? "
                + "order by created_at, id", ENDPOINT, tenantId);
    }

    @Transactional(readOnly = true)
    public EndpointView get(@TenantId UUID tenantId, UUID id) {
        return find(tenantId, id, false);
    }

    /** Endpoints that stopped by themselves after a day of failures, for the dashboard's notice. */
    @Transactional(readOnly = true)
    public List<EndpointView> disabledByFailures(@TenantId UUID tenantId) {
        return list(tenantId).stream().filter(endpoint -> endpoint.disabledReason() != null).toList();
    }

    /** Checked first, outside the transaction: the URL's name is resolved, which may take seconds. */
    public IssuedEndpoint create(@TenantId UUID tenantId, EndpointRequest request, Actor actor) {
        Checked checked = check(request);
        return transactions.execute(status -> insert(tenantId, checked, actor));
    }

    private IssuedEndpoint insert(UUID tenantId, Checked checked, Actor actor) {
        Integer count = jdbc.queryForObject("select count(*) from webhook_endpoints where tenant_id = ?",
                Integer.class, tenantId);
        if (count != null && count >= properties.maxEndpoints()) {
            throw new ConflictException("an organisation has at most " + properties.maxEndpoints()
                    + " webhook endpoints; delete one first");
        }
        UUID id = UUID.randomUUID();
        String secret = newSecret();
        jdbc.update("insert into webhook_endpoints (id, tenant_id, url, description, event_types, secret, enabled, "
                + "created_at, created_by) values (?, ?, ?, ?, ?::text[], ?, ?, ?, ?)", id, tenantId, checked.url(),
                checked.description(), textArray(checked.events()), secret, checked.enabled(), timestamp(now()),
                actor.name());
        EndpointView created = find(tenantId, id, false);
        audit(tenantId, "WEBHOOK_CREATED", actor, created, Map.of());
        return new IssuedEndpoint(created, secret);
    }

    /** Checked first, outside the transaction, as {@link #create} is. */
    public EndpointView update(@TenantId UUID tenantId, UUID id, EndpointRequest request, Actor actor) {
        Checked checked = check(request);
        return transactions.execute(status -> replace(tenantId, id, checked, actor));
    }

    private EndpointView replace(UUID tenantId, UUID id, Checked checked, Actor actor) {
        find(tenantId, id, true);
        // Enabling an endpoint again starts its count of failures afresh.
        jdbc.update("update webhook_endpoints set url = ?, description = ?, event_types = ?::text[], enabled = ?, "
                + "disabled_reason = case when ? then null else disabled_reason end, "
                + "failing_since = case when ? and not enabled then null else failing_since end "
                + "where tenant_id = ? and id = ?", checked.url(), checked.description(),
                textArray(checked.events()), checked.enabled(), checked.enabled(), checked.enabled(), tenantId, id);
        EndpointView updated = find(tenantId, id, false);
        audit(tenantId, "WEBHOOK_CHANGED", actor, updated, Map.of());
        return updated;
    }

    @Transactional
    public void delete(@TenantId UUID tenantId, UUID id, Actor actor) {
        EndpointView endpoint = find(tenantId, id, true);
        jdbc.update("delete from webhook_endpoints where tenant_id = ? and id = ?", tenantId, id);
        audit(tenantId, "WEBHOOK_DELETED", actor, endpoint, Map.of());
    }

    /**
     * A new secret; deliveries are signed with the old one as well for {@code overlap}, so that the receiver can
     * switch to the new one without refusing a delivery. A rotation during an overlap ends the older secret.
     */
    @Transactional
    public IssuedEndpoint rotateSecret(@TenantId UUID tenantId, UUID id, Duration overlap, Actor actor) {
        if (overlap.isNegative() || overlap.compareTo(MAX_ROTATION_OVERLAP) > 0) {
            throw new InvalidInputException("overlapHours", "must be between 0 and "
                    + MAX_ROTATION_OVERLAP.toHours() + " hours");
        }
        find(tenantId, id, true);
        String secret = newSecret();
        jdbc.update("update webhook_endpoints set previous_secret = case when ? > 0 then secret end, "
                + "previous_secret_until = case when ? > 0 then ? end, secret = ? where tenant_id = ? and id = ?",
                overlap.toSeconds(), overlap.toSeconds(), timestamp(now().plus(overlap)), secret, tenantId, id);
        EndpointView rotated = find(tenantId, id, false);
        audit(tenantId, "WEBHOOK_SECRET_ROTATED", actor, rotated, Map.of("overlapHours", overlap.toHours()));
        return new IssuedEndpoint(rotated, secret);
    }

    // --- deliveries

    /** The endpoint's deliveries, newest first; with {@code before}, only those older than that delivery id. */
    @Transactional(readOnly = true)
    public List<DeliveryView> deliveries(@TenantId UUID tenantId, UUID endpointId, Long before, int limit) {
        find(tenantId, endpointId, false);
        return jdbc.query("select " + DELIVERY_COLUMNS + " from webhook_deliveries d join webhook_events ev "
                + "on ev.id = d.event_id where d.tenant_id = ? and d.endpoint_id = ? and d.id < ? "
                + "order by d.id desc limit ?", DELIVERY, tenantId, endpointId, before == null ? Long.MAX_VALUE : before,
                Math.min(Math.max(limit, 1), MAX_DELIVERIES_LISTED));
    }

    /** The event of a delivery sent again, at once, as a new delivery with the same event id. */
    @Transactional
    public DeliveryView redeliver(@TenantId UUID tenantId, UUID endpointId, long deliveryId, Actor actor) {
        EndpointView endpoint = requireEnabled(tenantId, endpointId);
        List<UUID> events = jdbc.queryForList("select event_id from webhook_deliveries where tenant_id = ? and "
                + "endpoint_id = ? and id = ?", UUID.class, tenantId, endpointId, deliveryId);
        if (events.isEmpty()) {
            throw new NotFoundException("delivery");
        }
        long id = insertDelivery(tenantId, endpointId, events.getFirst());
        audit(tenantId, "WEBHOOK_REDELIVERED", actor, endpoint, Map.of("deliveryId", deliveryId));
        return delivery(tenantId, id);
    }

    /** A {@code ping} event for this endpoint alone, to see that it receives and verifies deliveries. */
    @Transactional
    public DeliveryView sendTestEvent(@TenantId UUID tenantId, UUID endpointId, Actor actor) {
        requireEnabled(tenantId, endpointId);
        UUID event = insertEvent(tenantId, WebhookEventType.PING, Map.of("message", "A test event sent by "
                + actor.name() + "."), null);
        return delivery(tenantId, insertDelivery(tenantId, endpointId, event));
    }

    // --- events

    /**
     * Tells each enabled endpoint of the organisation that wants {@code type}: an event and a delivery per endpoint,
     * in the caller's transaction. With a {@code dedupeKey}, an event already told under that key is not told again
     * (several nodes notice that a live event started). Nothing is written when no endpoint wants it.
     */
    public void publish(UUID tenantId, WebhookEventType type, Map<String, ?> data, String dedupeKey) {
        List<UUID> endpoints = jdbc.queryForList("select id from webhook_endpoints where tenant_id = ? and enabled "
                + "and ? = any (event_types)", UUID.class, tenantId, type.code());
        if (endpoints.isEmpty()) {
            return;
        }
        UUID event = insertEvent(tenantId, type, data, dedupeKey);
        if (event != null) {
            endpoints.forEach(endpoint -> insertDelivery(tenantId, endpoint, event));
        }
    }

    private UUID insertEvent(UUID tenantId, WebhookEventType type, Map<String, ?> data, String dedupeKey) {
        UUID id = UUID.randomUUID();
        Instant occurredAt = now();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id.toString());
        body.put("type", type.code());
        body.put("occurredAt", occurredAt.toString());
        body.put("organisationId", tenantId.toString());
        body.put("data", data);
        int inserted = jdbc.update("insert into webhook_events (id, tenant_id, type, occurred_at, body, dedupe_key) "
                + "values (?, ?, ?, ?, ?, ?) on conflict (tenant_id, dedupe_key) do nothing", id, tenantId,
                type.code(), timestamp(occurredAt), json.writeValueAsString(body), dedupeKey);
        return inserted == 1 ? id : null;
    }

    private long insertDelivery(UUID tenantId, UUID endpointId, UUID eventId) {
        Instant now = now();
        return jdbc.queryForObject("insert into webhook_deliveries (tenant_id, endpoint_id, event_id, state, "
                + "next_attempt_at, created_at) values (?, ?, ?, 'PENDING', ?, ?) returning id", Long.class, tenantId,
                endpointId, eventId, timestamp(now), timestamp(now));
    }

    private DeliveryView delivery(UUID tenantId, long id) {
        return jdbc.query("select " + DELIVERY_COLUMNS + " from webhook_deliveries d join webhook_events ev "
                + "on ev.id = d.event_id where d.tenant_id = ? and d.id = ?", DELIVERY, tenantId, id).getFirst();
    }

    // --- checks

    private record Checked(String url, String description, List<String> events, boolean enabled) {
    }

    private Checked check(EndpointRequest request) {
        List<FieldError> errors = new ArrayList<>(checks.problems(request));
        String url = request.url() == null ? null : request.url().strip();
        if (url != null && errors.stream().noneMatch(error -> error.field().equals("url"))) {
            String problem = urlProblem(url);
            if (problem != null) {
                errors.add(new FieldError("url", problem));
            }
        }
        List<String> events = request.events() == null ? List.of() : request.events().stream().distinct().toList();
        for (String code : events) {
            if (code == null || WebhookEventType.ofCode(code).filter(WebhookEventType::subscribable).isEmpty()) {
                errors.add(new FieldError("events", "'" + code + "' is not an event type; the types are "
                        + Arrays.stream(WebhookEventType.values()).filter(WebhookEventType::subscribable)
                                .map(WebhookEventType::code).collect(Collectors.joining(", "))));
                break;
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String description = request.description() == null ? "" : request.description().strip();
        return new Checked(url, description, events, request.enabled() == null || request.enabled());
    }

    /**
     * What is wrong with a receiver's URL, or null. An https URL whose name does not resolve yet is taken (each
     * delivery resolves it again, and checks what it finds); one that resolves to an address webhooks may not reach
     * is refused now rather than at every delivery.
     */
    private String urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        }
        catch (URISyntaxException e) {
            return "is not a URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return "must be an https URL";
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return "must be an https URL with a host, without user information or fragment";
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        InetAddress[] resolved;
        try {
            resolved = InetAddress.getAllByName(uri.getHost());
        }
        catch (UnknownHostException e) {
            return scheme.equals("http") ? "must be an https URL" : null;
        }
        String refusal = addresses.refusal(resolved, port);
        if (refusal != null) {
            return "resolves to an address webhooks may not reach (" + refusal + ")";
        }
        // Plain http only to an address the operator allowed: deliveries carry the organisation's events.
        boolean allowedPrivate = Arrays.stream(resolved).noneMatch(OutboundAddresses::isPublic);
        return scheme.equals("http") && !allowedPrivate ? "must be an https URL" : null;
    }

    private EndpointView find(UUID tenantId, UUID id, boolean forUpdate) {
        List<EndpointView> found = jdbc.query("select " + ENDPOINT_COLUMNS + " from webhook_endpoints where "
                + "tenant_id = ? and id = ?" + (forUpdate ? " for update" : ""), ENDPOINT, tenantId, id);
        if (found.isEmpty()) {
            throw new NotFoundException("webhook endpoint");
        }
        return found.getFirst();
    }

    private EndpointView requireEnabled(UUID tenantId, UUID endpointId) {
        EndpointView endpoint = find(tenantId, endpointId, false);
        if (!endpoint.enabled()) {
            throw new ConflictException("the endpoint is disabled; enable it first");
        }
        return endpoint;
    }

    private void audit(UUID tenantId, String type, Actor actor, EndpointView endpoint, Map<String, ?> extra) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("endpointId", endpoint.id().toString());
        details.put("url", endpoint.url());
        details.put("events", endpoint.events());
        details.put("enabled", endpoint.enabled());
        details.putAll(extra);
        auditLog.record(new AuditRecord(tenantId, type, actor.name(), actor.source(), actor.clientIp(), details));
    }

    private Instant now() {
        return clock.instant();
    }

    /** A signing secret: 32 random bytes, prefixed so that it is recognisable in a receiver's configuration. */
    private static String newSecret() {
        return "whsec_" + Tokens.random(43);
    }

    private static String textArray(List<String> values) {
        return values.stream().map(value -> "\"" + value + "\"").collect(Collectors.joining(",", "{", "}"));
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Integer integer(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

    private static final RowMapper<EndpointView> ENDPOINT = (row, n) -> {
        Array events = row.getArray("event_types");
        return new EndpointView(row.getObject("id", UUID.class), row.getString("url"), row.getString("description"),
                List.of((String[]) events.getArray()), row.getBoolean("enabled"), row.getString("disabled_reason"),
                instant(row, "failing_since"), instant(row, "previous_secret_until"), instant(row, "created_at"),
                row.getString("created_by"));
    };

    private static final RowMapper<DeliveryView> DELIVERY = (row, n) -> {
        String state = row.getString("state");
        return new DeliveryView(row.getLong("id"), row.getObject("event_id", UUID.class), row.getString("type"), state,
                row.getInt("attempts"), instant(row, "created_at"),
                state.equals("PENDING") ? instant(row, "next_attempt_at") : null, instant(row, "last_attempt_at"),
                integer(row, "last_status"), integer(row, "last_latency_ms"), row.getString("last_error"),
                row.getString("last_response"), instant(row, "delivered_at"));
    };
}
