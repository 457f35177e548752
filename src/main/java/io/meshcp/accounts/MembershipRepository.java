package io.meshcp.accounts;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface MembershipRepository extends JpaRepository<Membership, UUID> {

    Optional<Membership> findByTenantIdAndUserId(UUID tenantId, UUID userId);

    List<Membership> findByTenantIdOrderByCreatedAt(UUID tenantId);

    List<Membership> findByUserId(UUID userId);

    /** Locks the tenant's owner rows so two concurrent demotions cannot both leave it ownerless. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select m from Membership m where m.tenantId = ?1 and m.role = io.meshcp.accounts.Role.OWNER")
    List<Membership> lockOwners(UUID tenantId);
}
