package io.meshcp.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import io.meshcp.accounts.Accounts;
import io.meshcp.analytics.Analytics;
import io.meshcp.analytics.AnalyticsQuery;
import io.meshcp.analytics.Metrics;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.IssuedKey;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.problems.ConflictException;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.shared.problems.NotFoundException;
import io.meshcp.streams.StreamView;
import io.meshcp.streams.Streams;
import io.meshcp.telemetry.DemoTelemetry;
import io.meshcp.telemetry.Dimension;
import io.meshcp.telemetry.FirstHeartbeats;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UriComponentsBuilder;

/** The overview (with demo data on request) and the integration page. */
@Controller
@DashboardPage
class DashboardController {

    private final ApiKeys apiKeys;

    private final Accounts accounts;

    private final Analytics analytics;

    private static final int STREAMS_LISTED = 200;

    private final DemoTelemetry demo;

    private final Streams streams;

    private final FirstHeartbeats firstHeartbeats;

    private final Clock clock;

    DashboardController(ApiKeys apiKeys, Accounts accounts, Analytics analytics, DemoTelemetry demo, Streams streams,
            FirstHeartbeats firstHeartbeats, Clock clock) {
        this.clock = clock;
        this.apiKeys = apiKeys;
        this.accounts = accounts;
        this.analytics = analytics;
        this.demo = demo;
        this.streams = streams;
        this.firstHeartbeats = firstHeartbeats;
    }

    /** The periods the overview offers, in hours: a day, a week, a month. */
    static final List<Integer> PERIODS = List.of(24, 168, 720);

    private static final int TOP_STREAMS = 5;

    /**
     * A period at a glance (the last 24 hours unless another is picked), for the organisation or one stream, beside
     * the period before it; the streams that saved most and drew most viewers. "Live" viewers are those of the last
     * two complete minutes.
     */
    @GetMapping("/")
    String overview(@RequestParam(defaultValue = "24") int hours, @RequestParam(required = false) UUID stream,
            Model model) {
        UUID tenantId = Caller.tenantId();
        if (!PERIODS.contains(hours)) {
            throw new InvalidInputException("hours", "must be one of " + PERIODS);
        }
        StreamView chosen = stream == null ? null : streams.get(tenantId, stream);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Instant to = now.plus(1, ChronoUnit.MINUTES);
        Instant from = to.minus(Duration.ofHours(hours));
        Analytics.Summary current = analytics.summary(tenantId, query(from, to, stream));
        Analytics.Summary previous = analytics.summary(tenantId, query(from.minus(Duration.ofHours(hours)), from,
                stream));
        Analytics.Summary live = analytics.summary(tenantId, query(now.minus(Duration.ofMinutes(2)), now, stream));
        model.addAttribute("hours", hours);
        model.addAttribute("periods", PERIODS);
        model.addAttribute("stream", chosen);
        model.addAttribute("streams", streams.list(tenantId, null, false, 0, STREAMS_LISTED).getContent());
        model.addAttribute("day", current.total());
        model.addAttribute("previous", previous.total());
        model.addAttribute("currency", current.currency());
        model.addAttribute("liveViewers", live.total().viewers());
        model.addAttribute("demoShown", demo.present(tenantId));
        if (chosen == null && current.total().events() > 0) {
            List<TopStream> top = analytics.breakdown(tenantId, query(from, to, null), Dimension.STREAM).stream()
                    .map(group -> new TopStream(streams.findById(tenantId, UUID.fromString(group.group()))
                            .orElse(null), group.metrics()))
                    .filter(row -> row.stream() != null).toList();
            model.addAttribute("topBySavings", top.stream()
                    .sorted(Comparator.comparingLong((TopStream row) -> row.metrics().bytesSaved()).reversed())
                    .limit(TOP_STREAMS).toList());
            model.addAttribute("topByViewers", top.stream()
                    .sorted(Comparator.comparingDouble((TopStream row) -> viewers(row.metrics())).reversed())
                    .limit(TOP_STREAMS).toList());
        }
        return "dashboard/overview";
    }

    /** A stream's totals in the overview's period. */
    record TopStream(StreamView stream, Metrics metrics) {
    }

    private static double viewers(Metrics metrics) {
        return metrics.viewers() == null ? 0 : metrics.viewers();
    }

    private static AnalyticsQuery query(Instant from, Instant to, UUID streamId) {
        return new AnalyticsQuery(from, to, ZoneOffset.UTC, streamId, null, null, null, null);
    }

    /** The snippets, filled with a new key and, when one is chosen, a stream of the organisation. */
    @GetMapping("/integration")
    String integration(@RequestParam(required = false) String stream, Model model) {
        UUID tenantId = Caller.tenantId();
        model.addAttribute("baseUrl", ServletUriComponentsBuilder.fromCurrentContextPath().toUriString());
        model.addAttribute("publishableKeys", apiKeys.list(tenantId).stream()
                .filter(key -> key.kind() == KeyKind.PUBLISHABLE && key.active()).toList());
        model.addAttribute("streams", streams.list(tenantId, null, false, 0, STREAMS_LISTED).getContent());
        if (stream != null && !stream.isBlank()) {
            StreamView chosen = chosenStream(tenantId, stream);
            model.addAttribute("stream", chosen);
            model.addAttribute("shaka", chosen.dashManifest());
            model.addAttribute("firstHeartbeat", firstHeartbeats.of(tenantId, chosen.id()).orElse(null));
        }
        return "dashboard/integration";
    }

    /** Whether the stream has reported yet; the integration page asks again every few seconds until it has. */
    @GetMapping("/integration/first-heartbeat")
    String firstHeartbeat(@RequestParam String stream, Model model) {
        UUID tenantId = Caller.tenantId();
        StreamView chosen = chosenStream(tenantId, stream);
        model.addAttribute("stream", chosen);
        model.addAttribute("firstHeartbeat", firstHeartbeats.of(tenantId, chosen.id()).orElse(null));
        return "dashboard/integration :: first-heartbeat";
    }

    private StreamView chosenStream(UUID tenantId, String externalId) {
        return streams.findByExternalId(tenantId, externalId).filter(found -> !found.archived())
                .orElseThrow(() -> new NotFoundException("stream '" + externalId + "'"));
    }

    /** A day of synthetic telemetry for an organisation that has none, so the dashboards can be explored. */
    @PostMapping("/demo-data")
    @PreAuthorize("hasRole('ADMIN')")
    String demoData(HttpServletRequest request, RedirectAttributes redirect) {
        try {
            demo.fill(Caller.tenantId(), Actor.of(Caller.current(), request));
            redirect.addFlashAttribute("notice", "Demo streams, a live event and a day of telemetry are being "
                    + "created; the numbers fill in over the next half minute.");
        }
        catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/";
    }

    /** Takes the demo data out again, leaving the organisation's own streams and telemetry as they are. */
    @PostMapping("/demo-data/remove")
    @PreAuthorize("hasRole('ADMIN')")
    String removeDemoData(HttpServletRequest request, RedirectAttributes redirect) {
        try {
            demo.remove(Caller.tenantId(), Actor.of(Caller.current(), request));
            redirect.addFlashAttribute("notice", "Demo data removed: the numbers are your players' alone.");
        }
        catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/";
    }

    /**
     * Creates a publishable key for the snippets and shows it once, filled in: on the integration page (for the
     * stream chosen there), or on the demo page of {@code demoStream} when it was asked from there.
     */
    @PostMapping("/integration/key")
    @PreAuthorize("hasRole('ADMIN')")
    String createKey(@RequestParam(required = false) String stream, @RequestParam(required = false) String demoStream,
            HttpServletRequest request, RedirectAttributes redirect) {
        UUID tenantId = Caller.tenantId();
        IssuedKey issued = apiKeys.create(tenantId, new NewKey(KeyKind.PUBLISHABLE, "web player",
                accounts.tenant(tenantId).defaultAllowedOrigins(), null), Actor.of(Caller.current(), request));
        redirect.addFlashAttribute("issuedKey", issued.key());
        if (demoStream != null && !demoStream.isBlank()) {
            // A path of our own with the id encoded as a query value: never a redirect elsewhere.
            return "redirect:" + UriComponentsBuilder.fromPath("/demo").queryParam("stream", demoStream).encode()
                    .toUriString();
        }
        if (stream != null && !stream.isBlank()) {
            return "redirect:" + UriComponentsBuilder.fromPath("/integration").queryParam("stream", stream).encode()
                    .toUriString();
        }
        return "redirect:/integration";
    }
}
