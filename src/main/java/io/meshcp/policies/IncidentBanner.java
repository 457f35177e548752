package io.meshcp.policies;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.caller.Source;
import io.meshcp.streams.StreamView;
import io.meshcp.streams.Streams;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every dashboard page shows while a kill switch is on, so that nobody on the ops team wonders during an
 * incident whether p2p is off: which switch (every stream, or which stream by name), who engaged it, when and why.
 * One small query per page; the switches of an organisation are a handful of rows.
 */
@ControllerAdvice(annotations = DashboardPage.class)
class IncidentBanner {

    private final Policies policies;

    private final Streams streams;

    IncidentBanner(Policies policies, Streams streams) {
        this.policies = policies;
        this.streams = streams;
    }

    /** An engaged switch as the banner names it; {@code stream} is null for the tenant-wide switch. */
    record EngagedSwitch(String stream, UUID streamId, String engagedBy, Instant engagedAt, String reason,
            Instant releaseAt) {

        public boolean tenantWide() {
            return streamId == null;
        }
    }

    @ModelAttribute("killSwitchesOn")
    List<EngagedSwitch> killSwitchesOn(HttpServletRequest request) {
        // An error page (a 503 while the database is away, say) must render whatever happens here, and an htmx
        // fragment (the swarms view polls every 5 s) has no header to show the banner in.
        if (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) != null
                || request.getHeader("HX-Request") != null) {
            return List.of();
        }
        return Caller.find().filter(caller -> caller.source() == Source.DASHBOARD)
                .map(caller -> policies.killSwitches(caller.tenantId()).stream().map(engaged -> new EngagedSwitch(
                        engaged.streamId() == null ? null : streams.findById(caller.tenantId(), engaged.streamId())
                                .map(StreamView::name).orElse("a removed stream"),
                        engaged.streamId(), engaged.engagedBy(), engaged.engagedAt(), engaged.reason(),
                        engaged.releaseAt())).toList())
                .orElse(List.of());
    }
}
