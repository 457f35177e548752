package io.meshcp.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface InvitationRepository extends JpaRepository<Invitation, UUID> {

    Optional<Invitation> findByTokenHash(byte[] tokenHash);

    Optional<Invitation> findByIdAndTenantId(UUID id, UUID tenantId);

    @Query("""
            select i from Invitation i where i.tenantId = ?1 and i.acceptedAt is null and i.revokedAt is null
            and i.expiresAt > ?2 order by i.createdAt desc""")
    List<Invitation> findOpen(UUID tenantId, Instant now);
}
