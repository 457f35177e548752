package io.meshcp.policies;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface LiveEventRepository extends JpaRepository<LiveEvent, UUID> {

    Optional<LiveEvent> findByIdAndTenantId(UUID id, UUID tenantId);

    /** Events of a stream that are not cancelled and not over: what resolution needs. */
    @Query("""
            select e from LiveEvent e where e.tenantId = ?1 and e.streamId = ?2 and e.cancelledAt is null
            and e.endsAt > ?3 order by e.startsAt""")
    List<LiveEvent> openOrUpcoming(UUID tenantId, UUID streamId, Instant now, Pageable limit);

    @Query("""
            select e from LiveEvent e where e.tenantId = ?1 and e.streamId = ?2 and e.cancelledAt is null
            and e.id <> ?3 and e.startsAt < ?5 and e.endsAt > ?4 order by e.startsAt""")
    List<LiveEvent> overlapping(UUID tenantId, UUID streamId, UUID self, Instant startsAt, Instant endsAt);

    @Query("""
            select e from LiveEvent e where e.tenantId = ?1 and (?2 is null or e.streamId = ?2)
            and e.cancelledAt is null and e.startsAt > ?3 order by e.startsAt, e.id""")
    Page<LiveEvent> upcoming(UUID tenantId, UUID streamId, Instant now, Pageable page);

    @Query("""
            select e from LiveEvent e where e.tenantId = ?1 and (?2 is null or e.streamId = ?2)
            and e.cancelledAt is null and e.startsAt <= ?3 and e.endsAt > ?3 order by e.startsAt, e.id""")
    Page<LiveEvent> active(UUID tenantId, UUID streamId, Instant now, Pageable page);

    @Query("""
            select e from LiveEvent e where e.tenantId = ?1 and (?2 is null or e.streamId = ?2)
            and (e.cancelledAt is not null or e.endsAt <= ?3) order by e.endsAt desc, e.id""")
    Page<LiveEvent> past(UUID tenantId, UUID streamId, Instant now, Pageable page);

    /** Not cancelled, begun by {@code now}, and on at some point of [from, to): latest first. */
    @Query("""
            select e from LiveEvent e where e.tenantId = ?1 and (?2 is null or e.streamId = ?2)
            and e.cancelledAt is null and e.startsAt <= ?5 and e.startsAt < ?4 and e.endsAt > ?3
            order by e.startsAt desc, e.id""")
    List<LiveEvent> onDuring(UUID tenantId, UUID streamId, Instant from, Instant to, Instant now, Pageable limit);
}
