package io.meshcp.policies;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import io.meshcp.audit.AuditLog;
import io.meshcp.audit.AuditRecord;
import io.meshcp.database.TenantId;
import io.meshcp.policies.PolicyResolution.StreamLevel;
import io.meshcp.policies.PolicyResolution.TenantLevel;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.problems.ConflictException;
import io.meshcp.shared.problems.FieldError;
import io.meshcp.shared.problems.InputChecks;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.shared.problems.NotFoundException;
import io.meshcp.streams.StreamView;
import io.meshcp.streams.Streams;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Scheduling live events whose window overrides a stream's policy; overlapping windows are refused. */
@Service
public class LiveEvents {

    /** The longest window one event may have. */
    public static final Duration MAX_DURATION = Duration.ofDays(7);

    private final LiveEventRepository events;

    private final PolicyCodec codec;

    private final PolicyLevels levels;

    private final Streams streams;

    private final AuditLog auditLog;

    private final ApplicationEventPublisher publisher;

    private final JdbcTemplate jdbc;

    private final InputChecks checks;

    private final Clock clock;

    LiveEvents(LiveEventRepository events, PolicyCodec codec, PolicyLevels levels, Streams streams,
            AuditLog auditLog, ApplicationEventPublisher publisher, JdbcTemplate jdbc, InputChecks checks,
            Clock clock) {
        this.checks = checks;
        this.events = events;
        this.codec = codec;
        this.levels = levels;
        this.streams = streams;
        this.auditLog = auditLog;
        this.publisher = publisher;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public LiveEventView create(@TenantId UUID tenantId, LiveEventRequest request, Actor actor) {
        Map<PolicyField, Object> overrides = validate(tenantId, request);
        LiveEvent event = new LiveEvent(tenantId, actor.name(), clock.instant());
        lockAndCheckOverlap(tenantId, request, event.id());
        event.apply(request.streamId(), request.name().strip(), request.startsAt(), request.endsAt(),
                codec.write(overrides), clock.instant());
        events.save(event);
        changed(event, "LIVE_EVENT_SCHEDULED", actor, request.streamId());
        return view(event);
    }

    @Transactional
    public LiveEventView update(@TenantId UUID tenantId, UUID eventId, LiveEventRequest request, Actor actor) {
        LiveEvent event = find(tenantId, eventId);
        if (event.cancelledAt() != null) {
            throw new ConflictException("This live event was cancelled; schedule a new one.");
        }
        Map<PolicyField, Object> overrides = validate(tenantId, request);
        lockAndCheckOverlap(tenantId, request, event.id());
        UUID previousStream = event.streamId();
        event.apply(request.streamId(), request.name().strip(), request.startsAt(), request.endsAt(),
                codec.write(overrides), clock.instant());
        if (!previousStream.equals(request.streamId())) {
            publisher.publishEvent(new PolicyChanged(tenantId, previousStream));
        }
        changed(event, "LIVE_EVENT_CHANGED", actor, request.streamId());
        return view(event);
    }

    @Transactional
    public LiveEventView cancel(@TenantId UUID tenantId, UUID eventId, Actor actor) {
        LiveEvent event = find(tenantId, eventId);
        if (event.cancelledAt() == null) {
            event.cancel(clock.instant());
            changed(event, "LIVE_EVENT_CANCELLED", actor, event.streamId());
        }
        return view(event);
    }

    /** A live event's window that began ({@code started}) or ended at {@code at}. */
    public record WindowEdge(UUID tenantId, UUID eventId, UUID streamId, String name, Instant startsAt, Instant endsAt,
            boolean started) {

        public Instant at() {
            return started ? startsAt : endsAt;
        }
    }

    /**
     * The windows that began or ended in [from, to), of every organisation: to be called in the system scope (the
     * webhooks that tell of them are about every organisation). A cancelled event's edges after its cancellation
     * never happened.
     */
    @Transactional(readOnly = true)
    public List<WindowEdge> edgesBetween(Instant from, Instant to) {
        return jdbc.query("""
                select tenant_id, id, stream_id, name, starts_at, ends_at, true as started from live_events
                where starts_at >= ? and starts_at < ? and (cancelled_at is null or cancelled_at > starts_at)
                union all
                select tenant_id, id, stream_id, name, starts_at, ends_at, false from live_events
                where ends_at >= ? and ends_at < ? and (cancelled_at is null or cancelled_at > ends_at)""",
                (row, n) -> new WindowEdge(row.getObject(1, UUID.class), row.getObject(2, UUID.class),
                        row.getObject(3, UUID.class), row.getString(4),
                        row.getObject(5, OffsetDateTime.class).toInstant(),
                        row.getObject(6, OffsetDateTime.class).toInstant(), row.getBoolean(7)),
                utc(from), utc(to), utc(from), utc(to));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    @Transactional(readOnly = true)
    public LiveEventView get(@TenantId UUID tenantId, UUID eventId) {
        return view(find(tenantId, eventId));
    }

    /**
     * Events that were on at some point of [from, to) and were not cancelled, optionally of one stream, latest
     * first, at most {@code limit}: what a report over that range covers.
     */
    @Transactional(readOnly = true)
    public List<LiveEventView> onDuring(@TenantId UUID tenantId, UUID streamId, Instant from, Instant to, int limit) {
        if (streamId != null) {
            streams.get(tenantId, streamId);
        }
        return events.onDuring(tenantId, streamId, from, to, clock.instant(), PageRequest.of(0, limit)).stream()
                .map(viewer(tenantId)).toList();
    }

    /** Events in one state, optionally of one stream: upcoming and active soonest first, past latest first. */
    @Transactional(readOnly = true)
    public Page<LiveEventView> list(@TenantId UUID tenantId, LiveEventState state, UUID streamId, int page, int size) {
        if (streamId != null) {
            streams.get(tenantId, streamId);
        }
        Instant now = clock.instant();
        PageRequest request = PageRequest.of(page, size);
        Page<LiveEvent> found = switch (state) {
            case UPCOMING -> events.upcoming(tenantId, streamId, now, request);
            case ACTIVE -> events.active(tenantId, streamId, now, request);
            case PAST, CANCELLED -> events.past(tenantId, streamId, now, request);
        };
        return found.map(viewer(tenantId));
    }

    /** Views of one tenant's events that read its levels once, and each stream's once, not once per event. */
    private Function<LiveEvent, LiveEventView> viewer(UUID tenantId) {
        TenantLevel tenant = levels.tenant(tenantId);
        Map<UUID, StreamLevel> streamLevels = new HashMap<>();
        return event -> view(event, tenant,
                streamLevels.computeIfAbsent(event.streamId(), id -> levels.stream(tenantId, id)));
    }

    /**
     * Every problem of the request that needs no database: what its constraints declare (required fields, the name's
     * length), then the window against the clock, and the overrides and their ranges.
     */
    List<FieldError> problems(LiveEventRequest request) {
        List<FieldError> errors = new ArrayList<>(checks.problems(request));
        if (request.startsAt() != null && request.endsAt() != null) {
            if (!request.endsAt().isAfter(request.startsAt())) {
                errors.add(new FieldError("endsAt", "must be after startsAt"));
            }
            else if (Duration.between(request.startsAt(), request.endsAt()).compareTo(MAX_DURATION) > 0) {
                errors.add(new FieldError("endsAt", "an event lasts at most 7 days"));
            }
            if (!request.endsAt().isAfter(clock.instant())) {
                errors.add(new FieldError("endsAt", "must be in the future"));
            }
        }
        if (request.overrides() != null && request.overrides().toMap().isEmpty()) {
            errors.add(new FieldError("overrides", "must set at least one policy field, e.g. latencyBudgetMs"));
        }
        else if (request.overrides() != null) {
            request.overrides().toMap().forEach((field, value) -> {
                String problem = field.problem(value);
                if (problem != null) {
                    errors.add(new FieldError(field.jsonName(), problem));
                }
            });
        }
        return errors;
    }

    private Map<PolicyField, Object> validate(UUID tenantId, LiveEventRequest request) {
        List<FieldError> errors = problems(request);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Map<PolicyField, Object> overrides = Policies.validate(request.overrides());
        StreamView stream = streams.get(tenantId, request.streamId());
        if (stream.archived()) {
            throw new InvalidInputException("streamId", "the stream is archived");
        }
        return overrides;
    }

    // One transaction at a time per stream checks for overlaps, so two overlapping events cannot both pass.
    private void lockAndCheckOverlap(UUID tenantId, LiveEventRequest request, UUID self) {
        jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 0))", "events/" + request.streamId());
        List<LiveEvent> overlapping = events.overlapping(tenantId, request.streamId(), self, request.startsAt(),
                request.endsAt());
        if (!overlapping.isEmpty()) {
            LiveEvent other = overlapping.getFirst();
            throw new ConflictException("The window overlaps live event '" + other.name() + "' (" + other.id()
                    + ", " + other.startsAt() + " to " + other.endsAt() + ") on the same stream.");
        }
    }

    private LiveEvent find(UUID tenantId, UUID eventId) {
        return events.findByIdAndTenantId(eventId, tenantId).orElseThrow(() -> new NotFoundException("live event"));
    }

    private void changed(LiveEvent event, String type, Actor actor, UUID streamId) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("eventId", event.id().toString());
        details.put("name", event.name());
        details.put("streamId", streamId.toString());
        details.put("startsAt", event.startsAt().toString());
        details.put("endsAt", event.endsAt().toString());
        details.put("overrides", codec.readDiff(event.overrides()));
        auditLog.record(new AuditRecord(event.tenantId(), type, actor.name(), actor.source(), actor.clientIp(),
                details));
        publisher.publishEvent(new PolicyChanged(event.tenantId(), streamId));
    }

    private LiveEventView view(LiveEvent event) {
        return view(event, levels.tenant(event.tenantId()), levels.stream(event.tenantId(), event.streamId()));
    }

    private LiveEventView view(LiveEvent event, TenantLevel tenant, StreamLevel stream) {
        Instant now = clock.instant();
        LiveEventState state = event.cancelledAt() != null ? LiveEventState.CANCELLED
                : now.isBefore(event.startsAt()) ? LiveEventState.UPCOMING
                : now.isBefore(event.endsAt()) ? LiveEventState.ACTIVE : LiveEventState.PAST;
        Map<PolicyField, Object> overrides = codec.read(event.overrides());
        // The window alone, over today's tenant and stream levels: what ops staff need to see.
        var during = PolicyResolution.resolve(tenant,
                new StreamLevel(stream.fields(), stream.version(), stream.killed(), stream.killSwitchEpoch(),
                        List.of(new LiveEventWindow(event.id(), event.name(), event.startsAt(), event.endsAt(),
                                overrides, event.updatedAt()))),
                event.startsAt());
        return new LiveEventView(event.id(), event.streamId(), event.name(), event.startsAt(), event.endsAt(),
                PolicyFields.of(overrides), state, event.createdBy(), event.updatedAt(), during);
    }
}
