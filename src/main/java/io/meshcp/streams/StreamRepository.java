package io.meshcp.streams;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface StreamRepository extends JpaRepository<Stream, UUID> {

    Optional<Stream> findByIdAndTenantId(UUID id, UUID tenantId);

    Optional<Stream> findByTenantIdAndExternalId(UUID tenantId, String externalId);

    @Query("""
            select s from Stream s where s.tenantId = ?1 and s.archived = ?2
            and (?3 = '' or lower(s.name) like ?3 or lower(s.externalId) like ?3)
            order by lower(s.name), s.id""")
    Page<Stream> search(UUID tenantId, boolean archived, String pattern, Pageable pageable);

    /** {@link #search}, after the stream named {@code afterName} with id {@code afterId} in its order. */
    @Query("""
            select s from Stream s where s.tenantId = ?1 and s.archived = ?2
            and (?3 = '' or lower(s.name) like ?3 or lower(s.externalId) like ?3)
            and (lower(s.name) > lower(?4) or (lower(s.name) = lower(?4) and s.id > ?5))
            order by lower(s.name), s.id""")
    Page<Stream> searchAfter(UUID tenantId, boolean archived, String pattern, String afterName, UUID afterId,
            Pageable pageable);
}
