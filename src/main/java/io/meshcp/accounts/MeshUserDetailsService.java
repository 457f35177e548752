package io.meshcp.accounts;

import io.meshcp.database.SystemScope;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class MeshUserDetailsService implements UserDetailsService {

    private final UserRepository users;

    private final MembershipRepository memberships;

    MeshUserDetailsService(UserRepository users, MembershipRepository memberships) {
        this.users = users;
        this.memberships = memberships;
    }

    @Override
    @SystemScope("logging in finds the account by its address, before its organisation is known")
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String email) {
        UserAccount user = users.findByEmailIgnoreCase(email.trim())
                .orElseThrow(() -> new UsernameNotFoundException("unknown user"));
        Membership membership = memberships.findById(user.id())
                .orElseThrow(() -> new UsernameNotFoundException("user without organisation"));
        return new MeshUser(user.id(), membership.tenantId(), user.email(), user.displayName(), membership.role(),
                user.passwordHash());
    }
}
