package io.meshcp.accounts;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface TenantRepository extends JpaRepository<Tenant, UUID> {

    @Query("select t from Tenant t where lower(t.name) = lower(?1)")
    Optional<Tenant> findByNameIgnoreCase(String name);
}
