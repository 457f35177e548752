package io.meshcp.accounts;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface UserRepository extends JpaRepository<UserAccount, UUID> {

    @Query("select u from UserAccount u where lower(u.email) = lower(?1)")
    Optional<UserAccount> findByEmailIgnoreCase(String email);
}
