package io.meshcp.webhooks;

import java.util.Arrays;
import java.util.Optional;

/** What an endpoint can be told of, by the code it has on the wire ({@code type} of a delivery's body). */
public enum WebhookEventType {

    KILL_SWITCH_ENGAGED("kill_switch.engaged", "A kill switch was engaged"),
    KILL_SWITCH_RELEASED("kill_switch.released", "A kill switch was released"),
    POLICY_CHANGED("policy.changed", "A policy was changed or restored"),
    LIVE_EVENT_STARTED("live_event.started", "A live event's window began"),
    LIVE_EVENT_ENDED("live_event.ended", "A live event's window ended"),
    API_KEY_CREATED("api_key.created", "An API key was created (or issued by a rotation)"),
    API_KEY_REVOKED("api_key.revoked", "An API key was revoked"),
    AUTO_GUARD_ACTED("auto_guard.acted", "The auto-guard switched p2p off for a stream that p2p was hurting"),
    ALERT_FIRED("alert.fired", "An alert rule's condition held for its whole window"),
    ALERT_RESOLVED("alert.resolved", "A firing alert's condition no longer holds"),
    /** Sent only by "Send a test event", to the one endpoint; never subscribed to. */
    PING("ping", "A test event sent by hand");

    private final String code;

    private final String description;

    WebhookEventType(String code, String description) {
        this.code = code;
        this.description = description;
    }

    public String code() {
        return code;
    }

    public String description() {
        return description;
    }

    /** Whether an endpoint may subscribe to it. */
    public boolean subscribable() {
        return this != PING;
    }

    public static Optional<WebhookEventType> ofCode(String code) {
        return Arrays.stream(values()).filter(type -> type.code.equals(code)).findFirst();
    }
}
