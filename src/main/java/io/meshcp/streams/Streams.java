package io.meshcp.streams;

import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.meshcp.audit.AuditLog;
import io.meshcp.audit.AuditRecord;
import io.meshcp.database.TenantId;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.paging.Cursor;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.shared.problems.NotFoundException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Creating, changing, archiving and finding a tenant's streams. Every change is audited and announced. */
@Service
public class Streams {

    private static final TypeReference<List<Rendition>> RENDITIONS = new TypeReference<>() {
    };

    private final StreamRepository streams;

    private final Validator validator;

    private final JsonMapper json;

    private final AuditLog auditLog;

    private final ApplicationEventPublisher events;

    private final Clock clock;

    Streams(StreamRepository streams, Validator validator, JsonMapper json, AuditLog auditLog,
            ApplicationEventPublisher events, Clock clock) {
        this.streams = streams;
        this.validator = validator;
        this.json = json;
        this.auditLog = auditLog;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public StreamView create(@TenantId UUID tenantId, StreamRequest request, Actor actor) {
        validate(request);
        requireFreeExternalId(tenantId, request.externalId(), null);
        Stream stream = new Stream(tenantId, clock.instant());
        stream.apply(request, json.writeValueAsString(request.renditions()), clock.instant());
        streams.save(stream);
        changed(stream, "STREAM_CREATED", actor, Map.of("externalId", stream.externalId(), "name", stream.name(),
                "sensitive", stream.sensitive()));
        return view(stream);
    }

    @Transactional
    public StreamView update(@TenantId UUID tenantId, UUID streamId, StreamRequest request, Actor actor) {
        validate(request);
        Stream stream = find(tenantId, streamId);
        requireFreeExternalId(tenantId, request.externalId(), streamId);
        boolean wasSensitive = stream.sensitive();
        stream.apply(request, json.writeValueAsString(request.renditions()), clock.instant());
        changed(stream, "STREAM_UPDATED", actor, Map.of("externalId", stream.externalId(), "name", stream.name(),
                "sensitive", stream.sensitive(), "sensitiveChanged", wasSensitive != stream.sensitive()));
        return view(stream);
    }

    /** Archived streams keep their data but serve no player: client-config answers 404 for them. */
    @Transactional
    public StreamView archive(@TenantId UUID tenantId, UUID streamId, boolean archived, Actor actor) {
        Stream stream = find(tenantId, streamId);
        if (stream.archived() != archived) {
            stream.archive(archived, clock.instant());
            changed(stream, archived ? "STREAM_ARCHIVED" : "STREAM_RESTORED", actor,
                    Map.of("externalId", stream.externalId()));
        }
        return view(stream);
    }

    /**
     * Raises the stream's content version: from now on its players join new swarms (client-config hands out a new
     * swarm id), so nobody is served segments of the content the stream carried before.
     */
    @Transactional
    public StreamView newContentVersion(@TenantId UUID tenantId, UUID streamId, Actor actor) {
        Stream stream = find(tenantId, streamId);
        stream.newContentVersion(clock.instant());
        changed(stream, "STREAM_CONTENT_VERSION_RAISED", actor, Map.of("externalId", stream.externalId(),
                "contentVersion", stream.contentVersion()));
        return view(stream);
    }

    @Transactional(readOnly = true)
    public StreamView get(@TenantId UUID tenantId, UUID streamId) {
        return view(find(tenantId, streamId));
    }

    @Transactional(readOnly = true)
    public Optional<StreamView> findById(@TenantId UUID tenantId, UUID streamId) {
        return streams.findByIdAndTenantId(streamId, tenantId).map(this::view);
    }

    @Transactional(readOnly = true)
    public Optional<StreamView> findByExternalId(@TenantId UUID tenantId, String externalId) {
        return streams.findByTenantIdAndExternalId(tenantId, externalId).map(this::view);
    }

    /** A page of streams ordered by name; {@code query} matches name or external id, case-insensitively. */
    @Transactional(readOnly = true)
    public Page<StreamView> list(@TenantId UUID tenantId, String query, boolean archived, int page, int size) {
        return list(tenantId, query, archived, null, page, size);
    }

    /** {@link #list}; with a {@code cursor} ({@link #cursor}) only the streams after the one it names. */
    @Transactional(readOnly = true)
    public Page<StreamView> list(@TenantId UUID tenantId, String query, boolean archived, String cursor, int page,
            int size) {
        String pattern = query == null || query.isBlank() ? ""
                : "%" + query.strip().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                        .replace("_", "\\_") + "%";
        if (cursor == null) {
            return streams.search(tenantId, archived, pattern, PageRequest.of(page, size)).map(this::view);
        }
        List<String> after = Cursor.decode(cursor, 2);
        UUID afterId;
        try {
            afterId = UUID.fromString(after.get(1));
        }
        catch (IllegalArgumentException e) {
            throw new InvalidInputException("cursor", "is not a cursor this API gave out; use nextCursor from a page");
        }
        return streams.searchAfter(tenantId, archived, pattern, after.get(0), afterId, PageRequest.of(page, size))
                .map(this::view);
    }

    /** The cursor that reads on after {@code stream}, in the order {@link #list} gives. */
    public static String cursor(StreamView stream) {
        return Cursor.encode(stream.name(), stream.id().toString());
    }

    private Stream find(UUID tenantId, UUID streamId) {
        return streams.findByIdAndTenantId(streamId, tenantId).orElseThrow(() -> new NotFoundException("stream"));
    }

    private void validate(StreamRequest request) {
        Set<ConstraintViolation<StreamRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        Set<String> ids = new HashSet<>();
        for (Rendition rendition : request.renditions()) {
            if (!ids.add(rendition.id())) {
                throw new InvalidInputException("renditions", "rendition id '" + rendition.id() + "' appears twice");
            }
        }
    }

    private void requireFreeExternalId(UUID tenantId, String externalId, UUID self) {
        streams.findByTenantIdAndExternalId(tenantId, externalId).filter(other -> !other.id().equals(self))
                .ifPresent(other -> {
                    throw new InvalidInputException("externalId", "another stream already uses this id");
                });
    }

    private void changed(Stream stream, String type, Actor actor, Map<String, ?> details) {
        Map<String, Object> withId = new LinkedHashMap<>(details);
        withId.put("streamId", stream.id().toString());
        auditLog.record(new AuditRecord(stream.tenantId(), type, actor.name(), actor.source(), actor.clientIp(),
                withId));
        events.publishEvent(new StreamChanged(stream.tenantId(), stream.id(), stream.externalId()));
    }

    private StreamView view(Stream stream) {
        return new StreamView(stream.id(), stream.externalId(), stream.name(), stream.kind(),
                json.readValue(stream.renditions(), RENDITIONS), stream.manifestUrl(), stream.sensitive(),
                stream.archived(), stream.contentVersion(), stream.createdAt(), stream.updatedAt());
    }
}
