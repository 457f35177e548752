package io.meshcp.policies;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface PolicyVersionRepository extends JpaRepository<PolicyVersion, Long> {

    @Query("select v from PolicyVersion v where v.tenantId = ?1 and v.streamId is null order by v.version desc limit 1")
    Optional<PolicyVersion> latestTenantVersion(UUID tenantId);

    @Query("select v from PolicyVersion v where v.tenantId = ?1 and v.streamId = ?2 order by v.version desc limit 1")
    Optional<PolicyVersion> latestStreamVersion(UUID tenantId, UUID streamId);

    @Query("select v from PolicyVersion v where v.tenantId = ?1 and v.streamId is null order by v.version desc")
    List<PolicyVersion> tenantHistory(UUID tenantId);

    @Query("select v from PolicyVersion v where v.tenantId = ?1 and v.streamId = ?2 order by v.version desc")
    List<PolicyVersion> streamHistory(UUID tenantId, UUID streamId);
}
