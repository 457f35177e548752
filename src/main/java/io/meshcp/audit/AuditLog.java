package io.meshcp.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.meshcp.database.TenantId;
import io.meshcp.shared.paging.Cursor;
import io.meshcp.shared.problems.InvalidInputException;
import jakarta.persistence.criteria.Predicate;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Appends to and reads the audit log. Appends join the caller's transaction, so a rolled-back change leaves no trace. */
@Service
public class AuditLog {

    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {
    };

    private final AuditEventRepository events;

    private final JsonMapper json;

    private final Clock clock;

    private final ApplicationEventPublisher publisher;

    AuditLog(AuditEventRepository events, JsonMapper json, Clock clock, ApplicationEventPublisher publisher) {
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.publisher = publisher;
    }

    /**
     * Appends the record and publishes it, in the same transaction, to listeners that act on what it tells of
     * (webhooks), so that what they write commits or rolls back with the change itself.
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public void record(AuditRecord record) {
        events.save(new AuditEvent(record.tenantId(), clock.instant(), record.type(), record.actor(),
                record.source(), record.clientIp(), json.writeValueAsString(record.details())));
        publisher.publishEvent(record);
    }

    @Transactional(readOnly = true)
    public Page<AuditEntry> find(@TenantId UUID tenantId, AuditQuery query, int page, int size) {
        return find(tenantId, query, null, page, size);
    }

    /** Newest first; with a {@code cursor} ({@link #cursor}) only what is older than the entry it names. */
    @Transactional(readOnly = true)
    public Page<AuditEntry> find(@TenantId UUID tenantId, AuditQuery query, String cursor, int page, int size) {
        Instant beforeTime;
        long beforeId;
        if (cursor != null) {
            List<String> keys = Cursor.decode(cursor, 2);
            try {
                beforeTime = Instant.parse(keys.get(0));
                beforeId = Long.parseLong(keys.get(1));
            }
            catch (RuntimeException e) {
                throw new InvalidInputException("cursor", "is not a cursor this API gave out; use nextCursor from a "
                        + "page");
            }
        }
        else {
            beforeTime = null;
            beforeId = 0;
        }
        Specification<AuditEvent> spec = (root, cq, cb) -> {
            List<Predicate> where = new ArrayList<>();
            where.add(cb.equal(root.get("tenantId"), tenantId));
            if (beforeTime != null) {
                where.add(cb.or(cb.lessThan(root.get("occurredAt"), beforeTime), cb.and(
                        cb.equal(root.get("occurredAt"), beforeTime), cb.lessThan(root.get("id"), beforeId))));
            }
            if (query.from() != null) {
                where.add(cb.greaterThanOrEqualTo(root.get("occurredAt"), query.from()));
            }
            if (query.to() != null) {
                where.add(cb.lessThan(root.get("occurredAt"), query.to()));
            }
            if (query.type() != null && !query.type().isBlank()) {
                where.add(cb.equal(root.get("type"), query.type()));
            }
            return cb.and(where.toArray(Predicate[]::new));
        };
        Sort newestFirst = Sort.by(Sort.Order.desc("occurredAt"), Sort.Order.desc("id"));
        return events.findAll(spec, PageRequest.of(page, size, newestFirst)).map(this::toEntry);
    }

    /** The cursor that reads on after {@code entry}, in the order {@link #find} gives. */
    public static String cursor(AuditEntry entry) {
        return Cursor.encode(entry.occurredAt().toString(), Long.toString(entry.id()));
    }

    @Transactional(readOnly = true)
    public List<String> types(@TenantId UUID tenantId) {
        return events.findTypes(tenantId);
    }

    private AuditEntry toEntry(AuditEvent event) {
        return new AuditEntry(event.id(), event.occurredAt(), event.type(), event.actor(), event.source(),
                event.clientIp(), json.readValue(event.details(), DETAILS));
    }
}
