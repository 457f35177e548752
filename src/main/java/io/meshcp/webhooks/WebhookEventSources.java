package io.meshcp.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.meshcp.audit.AuditRecord;
import io.meshcp.database.DatabaseScope;
import io.meshcp.policies.LiveEvents;
import io.meshcp.policies.LiveEvents.WindowEdge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Where events come from. Changes people make (kill switches, policies, API keys) are the audit log's records,
 * published in the transaction that makes the change, so an event is written exactly when the change commits.
 * Live events start and end by the clock: every node looks for windows that began or ended in the last
 * {@link #LOOK_BACK}, and each is told once however many nodes see it (the event's dedupe key), also after a
 * restart shorter than that.
 */
@Component
class WebhookEventSources {

    private static final Logger log = LoggerFactory.getLogger(WebhookEventSources.class);

    static final Duration LOOK_BACK = Duration.ofMinutes(10);

    private static final Map<String, WebhookEventType> BY_AUDIT_TYPE = Map.of(
            "KILL_SWITCH_ENGAGED", WebhookEventType.KILL_SWITCH_ENGAGED,
            "KILL_SWITCH_RELEASED", WebhookEventType.KILL_SWITCH_RELEASED,
            "POLICY_CHANGED", WebhookEventType.POLICY_CHANGED,
            "POLICY_RESTORED", WebhookEventType.POLICY_CHANGED,
            "API_KEY_CREATED", WebhookEventType.API_KEY_CREATED,
            "API_KEY_ROTATED", WebhookEventType.API_KEY_CREATED,
            "API_KEY_REVOKED", WebhookEventType.API_KEY_REVOKED);

    private final Webhooks webhooks;

    private final LiveEvents liveEvents;

    private final TransactionOperations transactions;

    private final Clock clock;

    private boolean failing;

    WebhookEventSources(Webhooks webhooks, LiveEvents liveEvents, TransactionOperations transactions, Clock clock) {
        this.webhooks = webhooks;
        this.liveEvents = liveEvents;
        this.transactions = transactions;
        this.clock = clock;
    }

    @EventListener
    void on(AuditRecord record) {
        WebhookEventType type = BY_AUDIT_TYPE.get(record.type());
        if (type == null || record.tenantId() == null) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("action", record.type());
        data.put("actor", record.actor());
        data.put("source", record.source().name());
        data.putAll(record.details());
        webhooks.publish(record.tenantId(), type, data, null);
    }

    @Scheduled(fixedDelayString = "${meshcp.webhooks.live-event-poll-interval:15s}")
    void liveEventEdges() {
        Instant now = clock.instant();
        try {
            // The system scope: windows of every organisation, each told in its organisation's name.
            List<WindowEdge> edges = DatabaseScope.system(() -> liveEvents.edgesBetween(now.minus(LOOK_BACK), now));
            for (WindowEdge edge : edges) {
                DatabaseScope.tenant(edge.tenantId(), () -> transactions.executeWithoutResult(status -> tell(edge)));
            }
            failing = false;
        }
        catch (DataAccessException e) {
            if (!failing) {
                log.warn("Cannot look for live events that started or ended; looking again shortly: {}", e.toString());
                failing = true;
            }
        }
    }

    private void tell(WindowEdge edge) {
        WebhookEventType type = edge.started() ? WebhookEventType.LIVE_EVENT_STARTED : WebhookEventType.LIVE_EVENT_ENDED;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("liveEventId", edge.eventId().toString());
        data.put("streamId", edge.streamId().toString());
        data.put("name", edge.name());
        data.put("startsAt", edge.startsAt().toString());
        data.put("endsAt", edge.endsAt().toString());
        webhooks.publish(edge.tenantId(), type, data, type.code() + ":" + edge.eventId() + ":" + edge.at());
    }
}
