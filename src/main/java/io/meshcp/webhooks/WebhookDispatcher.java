package io.meshcp.webhooks;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.meshcp.audit.AuditLog;
import io.meshcp.audit.AuditRecord;
import io.meshcp.database.DatabaseScope;
import io.meshcp.shared.caller.Source;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Sends the deliveries that are due, on every node. A node claims a batch by moving each claimed delivery's due time
 * past the longest a send may take ({@link WebhooksProperties#claim()}), so that no other node sends it meanwhile
 * and a node that dies mid-send leaves it to be sent again after the claim lapses: deliveries are sent at least once,
 * and a receiver tells repeats apart by the event id. A failed delivery is tried again after a pause that doubles
 * (10 s, 20 s, ... up to an hour, with jitter) until a day after its event, then given up. An endpoint whose
 * deliveries have failed for a day without one success is disabled and the organisation is told on the dashboard.
 */
@Component
class WebhookDispatcher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private record Claimed(long id, UUID tenantId, UUID endpointId, UUID eventId, int attempt, Instant createdAt,
            String url, List<String> secrets, String type, String body) {
    }

    private final JdbcTemplate jdbc;

    private final TransactionOperations transactions;

    private final AuditLog auditLog;

    private final WebhooksProperties properties;

    private final WebhookClient client;

    private final Clock clock;

    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

    /** The deliveries this node is sending, whose claims it gives back if it stops before it knows how they went. */
    private final Set<Long> sending = ConcurrentHashMap.newKeySet();

    private final Counter delivered;

    private final Counter failed;

    private final Counter givenUp;

    private Instant prunedAt = Instant.EPOCH;

    private boolean failing;

    WebhookDispatcher(JdbcTemplate jdbc, TransactionOperations transactions, AuditLog auditLog,
            WebhooksProperties properties, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        // Registered at start, so that an alert on them has a series before the first delivery.
        this.delivered = deliveries(meters, "delivered");
        this.failed = deliveries(meters, "failed");
        this.givenUp = deliveries(meters, "given_up");
        this.transactions = transactions;
        this.auditLog = auditLog;
        this.properties = properties;
        this.clock = clock;
        this.client = new WebhookClient(new OutboundAddresses(properties.allowedPrivateAddresses()),
                properties.connectTimeout(), properties.timeout());
    }

    private static Counter deliveries(MeterRegistry meters, String outcome) {
        return Counter.builder("meshcp.webhooks.deliveries").description("Webhook delivery attempts by outcome: "
                + "delivered (2xx), failed (tried again later), given_up (failed a day after its event)")
                .tag("outcome", outcome).register(meters);
    }

    @Scheduled(fixedDelayString = "${meshcp.webhooks.poll-interval:1s}")
    void dispatch() {
        if (!properties.sendDeliveries()) {
            return;
        }
        List<Claimed> batch;
        try {
            // The system scope: due deliveries of every organisation, claimed in one statement.
            batch = DatabaseScope.system(() -> transactions.execute(status -> claim()));
            prune();
        }
        catch (DataAccessException e) {
            if (!failing) {
                log.warn("Cannot read due webhook deliveries; they are sent once the database answers: {}",
                        e.toString());
                failing = true;
            }
            return;
        }
        failing = false;
        List<Runnable> sends = new ArrayList<>();
        batch.forEach(claimed -> sends.add(() -> send(claimed)));
        // One batch at a time: the next poll starts when every send of this one has ended (each within timeout).
        sends.stream().map(senders::submit).toList().forEach(future -> {
            try {
                future.get();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            catch (ExecutionException e) {
                log.error("A webhook send failed unexpectedly", e.getCause());
            }
        });
    }

    private List<Claimed> claim() {
        return jdbc.query("""
                with due as (
                    select d.id from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
                    where d.state = 'PENDING' and d.next_attempt_at <= now() and e.enabled
                    order by d.next_attempt_at limit ? for update of d skip locked)
                update webhook_deliveries d
                set next_attempt_at = now() + ? * interval '1 millisecond', attempts = d.attempts + 1
                from due, webhook_endpoints e, webhook_events ev
                where d.id = due.id and e.id = d.endpoint_id and ev.id = d.event_id
                returning d.id, d.tenant_id, d.endpoint_id, d.event_id, d.attempts, d.created_at, e.url, e.secret,
                    case when e.previous_secret_until > now() then e.previous_secret end as previous_secret,
                    ev.type, ev.body""", (row, n) -> {
            List<String> secrets = new ArrayList<>(List.of(row.getString("secret")));
            if (row.getString("previous_secret") != null) {
                secrets.add(row.getString("previous_secret"));
            }
            return new Claimed(row.getLong("id"), row.getObject("tenant_id", UUID.class),
                    row.getObject("endpoint_id", UUID.class), row.getObject("event_id", UUID.class),
                    row.getInt("attempts"), Webhooks.instant(row, "created_at"), row.getString("url"), secrets,
                    row.getString("type"), row.getString("body"));
        }, properties.concurrency(), properties.claim().toMillis());
    }

    private void send(Claimed delivery) {
        sending.add(delivery.id());
        try {
            sendClaimed(delivery);
        }
        finally {
            sending.remove(delivery.id());
        }
    }

    private void sendClaimed(Claimed delivery) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Meshcp-Event-Id", delivery.eventId().toString());
        headers.put("Meshcp-Event-Type", delivery.type());
        headers.put("Meshcp-Delivery-Attempt", Integer.toString(delivery.attempt()));
        headers.put(WebhookSignature.HEADER, WebhookSignature.header(clock.instant().getEpochSecond(),
                delivery.body(), delivery.secrets()));
        WebhookClient.Outcome outcome = client.post(delivery.url(), headers, delivery.body());
        try {
            DatabaseScope.tenant(delivery.tenantId(), () -> transactions.executeWithoutResult(status -> {
                if (outcome.delivered()) {
                    delivered(delivery, outcome);
                    delivered.increment();
                }
                else {
                    (failed(delivery, outcome) ? givenUp : failed).increment();
                }
            }));
        }
        catch (DataAccessException e) {
            // The claim lapses and the delivery is sent again: at least once, never lost.
            log.warn("Could not record the outcome of webhook delivery {}; it will be sent again: {}", delivery.id(),
                    e.toString());
        }
    }

    private void delivered(Claimed delivery, WebhookClient.Outcome outcome) {
        jdbc.update("update webhook_deliveries set state = 'DELIVERED', delivered_at = now(), last_attempt_at = now(), "
                + "last_status = ?, last_latency_ms = ?, last_error = null, last_response = ? where id = ?",
                outcome.status(), (int) outcome.latencyMillis(), text(outcome.response(), 1024), delivery.id());
        jdbc.update("update webhook_endpoints set failing_since = null where id = ? and failing_since is not null",
                delivery.endpointId());
    }

    /** True when the delivery is given up. */
    private boolean failed(Claimed delivery, WebhookClient.Outcome outcome) {
        Duration pause = pauseAfter(delivery.attempt());
        boolean giveUp = clock.instant().plus(pause).isAfter(delivery.createdAt().plus(properties.retryFor()));
        jdbc.update("update webhook_deliveries set state = ?, next_attempt_at = now() + ? * interval '1 millisecond', "
                + "last_attempt_at = now(), last_status = ?, last_latency_ms = ?, last_error = ?, last_response = ? "
                + "where id = ?", giveUp ? "FAILED" : "PENDING", pause.toMillis(),
                outcome.status() == 0 ? null : outcome.status(), (int) outcome.latencyMillis(),
                text(outcome.error(), 500), text(outcome.response(), 1024), delivery.id());
        jdbc.update("update webhook_endpoints set failing_since = now() where id = ? and failing_since is null",
                delivery.endpointId());
        String why = outcome.status() != 0 ? "HTTP " + outcome.status() : outcome.error();
        Duration after = properties.disableAfter();
        String reason = text("deliveries have failed for " + (after.toHours() > 0 ? after.toHours() + " h"
                : after.toSeconds() + " s") + " (last: " + why + ")", 300);
        List<String> disabled = jdbc.queryForList("update webhook_endpoints set enabled = false, disabled_reason = ? "
                + "where id = ? and enabled and failing_since <= now() - ? * interval '1 millisecond' returning url",
                String.class, reason, delivery.endpointId(), properties.disableAfter().toMillis());
        if (!disabled.isEmpty()) {
            log.info("Webhook endpoint {} of organisation {} disabled: {}", delivery.endpointId(),
                    delivery.tenantId(), reason);
            auditLog.record(new AuditRecord(delivery.tenantId(), "WEBHOOK_DISABLED", "webhook deliveries",
                    Source.SYSTEM, null, Map.of("endpointId", delivery.endpointId().toString(), "url",
                            disabled.getFirst(), "reason", reason)));
        }
        return giveUp;
    }

    /** The pause after the {@code attempt}th failure: doubling from firstRetry up to maxRetryInterval, ±20 %. */
    Duration pauseAfter(int attempt) {
        Duration pause = properties.firstRetry().multipliedBy(1L << Math.min(attempt - 1, 20));
        if (pause.compareTo(properties.maxRetryInterval()) > 0) {
            pause = properties.maxRetryInterval();
        }
        return Duration.ofMillis((long) (pause.toMillis() * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
    }

    /** Events and their deliveries leave the log after keepFor. */
    private void prune() {
        Instant now = clock.instant();
        if (Duration.between(prunedAt, now).compareTo(PRUNE_EVERY) < 0) {
            return;
        }
        prunedAt = now;
        DatabaseScope.system(() -> transactions.executeWithoutResult(status -> jdbc.update(
                "delete from webhook_events where occurred_at < ?", Webhooks.timestamp(now.minus(properties.keepFor())))));
    }

    private static String text(String value, int max) {
        if (value == null) {
            return null;
        }
        // PostgreSQL text cannot hold NUL; a receiver's answer may.
        String clean = value.replace('\0', ' ');
        return clean.length() > max ? clean.substring(0, max) : clean;
    }

    /**
     * Stops sending, and gives the claims of deliveries still under way back at once, so that another node (or this
     * one after a restart) sends them now rather than when the claims lapse.
     */
    @Override
    public void destroy() throws IOException {
        senders.shutdownNow();
        try {
            senders.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Long> unfinished = List.copyOf(sending);
        if (!unfinished.isEmpty()) {
            try {
                DatabaseScope.system(() -> transactions.executeWithoutResult(status -> jdbc.update(
                        "update webhook_deliveries set next_attempt_at = now() where state = 'PENDING' and id = any (?)",
                        (Object) unfinished.toArray(Long[]::new))));
            }
            catch (DataAccessException e) {
                log.warn("Could not give back {} webhook deliveries under way; they are sent again when their claims "
                        + "lapse: {}", unfinished.size(), e.toString());
            }
        }
        client.close();
    }
}
