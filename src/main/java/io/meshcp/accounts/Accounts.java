package io.meshcp.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.meshcp.audit.AuditLog;
import io.meshcp.audit.AuditRecord;
import io.meshcp.database.SystemScope;
import io.meshcp.database.TenantId;
import io.meshcp.shared.Tokens;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.http.Origins;
import io.meshcp.shared.problems.ConflictException;
import io.meshcp.shared.problems.FieldError;
import io.meshcp.shared.problems.InputChecks;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.shared.problems.NotFoundException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The accounts module's API: organisations, their members and invitations. Every method that takes a
 * tenant id only ever reads or changes rows of that tenant; ids of other tenants are "not found".
 */
@Service
public class Accounts {

    static final Duration INVITATION_LIFETIME = Duration.ofDays(7);

    private final TenantRepository tenants;

    private final UserRepository users;

    private final MembershipRepository memberships;

    private final InvitationRepository invitations;

    private final PasswordPolicy passwordPolicy;

    private final PasswordEncoder passwordEncoder;

    private final AuditLog auditLog;

    private final InputChecks checks;

    private final Clock clock;

    Accounts(TenantRepository tenants, UserRepository users, MembershipRepository memberships,
            InvitationRepository invitations, PasswordPolicy passwordPolicy, PasswordEncoder passwordEncoder,
            AuditLog auditLog, InputChecks checks, Clock clock) {
        this.checks = checks;
        this.tenants = tenants;
        this.users = users;
        this.memberships = memberships;
        this.invitations = invitations;
        this.passwordPolicy = passwordPolicy;
        this.passwordEncoder = passwordEncoder;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /**
     * Creates an organisation with its first owner. An address that already has an account creates nothing and
     * throws {@link AddressInUseException}, after the same work as a sign-up that succeeds (the password is hashed
     * first), and the owners of that account's organisation see the attempt in their audit log.
     */
    @SystemScope("sign-up makes a new organisation, and must see addresses and names in use by every other")
    @Transactional(noRollbackFor = AddressInUseException.class)
    public TenantView signUp(SignUp signUp, Actor actor) {
        List<FieldError> errors = new ArrayList<>(checks.problems(signUp));
        String email = EmailAddress.Check.normalise(signUp.email());
        InvalidInputException.check(errors, () -> requirePassword(signUp.password(), email));
        InvalidInputException.throwIfAny(errors);
        String organisation = signUp.organisation().strip();
        String displayName = signUp.displayName().strip();
        String passwordHash = passwordEncoder.encode(signUp.password());
        if (tenants.findByNameIgnoreCase(organisation).isPresent()) {
            throw new InvalidInputException("organisation", "this name is already taken");
        }
        Optional<UserAccount> existing = users.findByEmailIgnoreCase(email);
        if (existing.isPresent()) {
            memberships.findByUserId(existing.get().id()).forEach(membership -> audit(membership.tenantId(),
                    "SIGN_UP_WITH_MEMBER_ADDRESS", new Actor(email, actor.source(), actor.clientIp()),
                    Map.of("organisation", organisation)));
            throw new AddressInUseException();
        }
        Instant now = clock.instant();
        Tenant tenant = tenants.save(new Tenant(organisation, now));
        UserAccount owner = users.save(new UserAccount(email, displayName, passwordHash, now));
        memberships.save(new Membership(tenant.id(), owner.id(), Role.OWNER, now));
        audit(tenant.id(), "TENANT_SIGNED_UP", new Actor(email, actor.source(), actor.clientIp()),
                Map.of("organisation", organisation, "owner", email));
        return tenant.view();
    }

    @Transactional(readOnly = true)
    public TenantView tenant(@TenantId UUID tenantId) {
        return tenants.findById(tenantId).map(Tenant::view).orElseThrow(() -> new NotFoundException("tenant"));
    }

    @SystemScope("names are unique across organisations")
    @Transactional(readOnly = true)
    public Optional<TenantView> findTenantByName(String name) {
        return tenants.findByNameIgnoreCase(name).map(Tenant::view);
    }

    @Transactional
    public TenantView updateSettings(@TenantId UUID tenantId, TenantSettings settings, Actor actor) {
        Tenant tenant = tenants.findById(tenantId).orElseThrow(() -> new NotFoundException("tenant"));
        List<FieldError> errors = new ArrayList<>(checks.problems(settings));
        if (!TenantSettings.RETENTION_CHOICES.contains(settings.telemetryRetentionDays())) {
            errors.add(new FieldError("telemetryRetentionDays", "must be one of 7, 30, 90 or 365"));
        }
        List<String> origins = InvalidInputException.collect(errors,
                () -> Origins.normalise("defaultAllowedOrigins", settings.defaultAllowedOrigins()));
        InvalidInputException.throwIfAny(errors);
        String name = settings.name().strip();
        String currency = CurrencyCode.Check.normalise(settings.currency());
        TenantView before = tenant.view();
        tenant.update(name, settings.cdnPricePerGb(), currency, origins, settings.telemetryRetentionDays());
        try {
            // This organisation cannot see the others' names (row-level security); the unique index can.
            tenants.flush();
        }
        catch (DataIntegrityViolationException nameTaken) {
            throw new InvalidInputException("name", "this name is already taken");
        }
        TenantView after = tenant.view();
        audit(tenantId, "TENANT_SETTINGS_CHANGED", actor, Map.of(
                "before", Map.of("name", before.name(), "cdnPricePerGb", before.cdnPricePerGb().toPlainString(),
                        "currency", before.currency(), "defaultAllowedOrigins", before.defaultAllowedOrigins(),
                        "telemetryRetentionDays", before.telemetryRetentionDays()),
                "after", Map.of("name", after.name(), "cdnPricePerGb", after.cdnPricePerGb().toPlainString(),
                        "currency", after.currency(), "defaultAllowedOrigins", after.defaultAllowedOrigins(),
                        "telemetryRetentionDays", after.telemetryRetentionDays())));
        return after;
    }

    @Transactional(readOnly = true)
    public List<MemberView> members(@TenantId UUID tenantId) {
        return memberships.findByTenantIdOrderByCreatedAt(tenantId).stream().map(membership -> {
            UserAccount user = users.findById(membership.userId()).orElseThrow();
            return new MemberView(user.id(), user.email(), user.displayName(), membership.role(),
                    membership.createdAt());
        }).toList();
    }

    @Transactional(readOnly = true)
    public List<InvitationView> openInvitations(@TenantId UUID tenantId) {
        return invitations.findOpen(tenantId, clock.instant()).stream().map(Invitation::view).toList();
    }

    /** Creates an invitation; the returned token goes into the link the inviter hands over. */
    @Transactional
    public IssuedInvitation invite(@TenantId UUID tenantId, UUID invitingUserId, String email, Role role, Actor actor) {
        return invite(tenantId, actingRole(tenantId, invitingUserId), email, role, actor);
    }

    /** {@link #invite(UUID, UUID, String, Role, Actor)} for a caller that is not a member: a secret key of the role. */
    @Transactional
    public IssuedInvitation invite(@TenantId UUID tenantId, Role acting, String email, Role role, Actor actor) {
        requireManager(acting);
        List<FieldError> errors = new ArrayList<>();
        String address = InvalidInputException.collect(errors, () -> requireEmail(email));
        if (role == null) {
            errors.add(new FieldError("role", "is required"));
        }
        InvalidInputException.throwIfAny(errors);
        requireMayAssign(acting, role);
        // Not checked against existing accounts here: an inviter must not learn who has an account elsewhere. The
        // person who opens the link is told, if the address has one.
        String token = Tokens.random(40);
        Instant now = clock.instant();
        Invitation invitation = invitations.save(new Invitation(tenantId, address, role, Tokens.sha256(token),
                actor.name(), now, now.plus(INVITATION_LIFETIME)));
        audit(tenantId, "MEMBER_INVITED", actor, Map.of("email", address, "role", role.name()));
        return new IssuedInvitation(invitation.view(), token);
    }

    @Transactional
    public void revokeInvitation(@TenantId UUID tenantId, UUID invitationId, Actor actor) {
        Invitation invitation = invitations.findByIdAndTenantId(invitationId, tenantId)
                .filter(open -> open.isOpen(clock.instant()))
                .orElseThrow(() -> new NotFoundException("invitation"));
        invitation.revoke(clock.instant());
        audit(tenantId, "INVITATION_REVOKED", actor, Map.of("email", invitation.email()));
    }

    /** The open invitation behind a link token, with the organisation's name for the welcome page. */
    @SystemScope("an invitation is found by its token, before anyone knows its organisation")
    @Transactional(readOnly = true)
    public Optional<PendingInvitation> pendingInvitation(String token) {
        return openInvitation(token).map(invitation -> new PendingInvitation(invitation.email(),
                tenant(invitation.tenantId()).name(), invitation.role()));
    }

    @SystemScope("an invitation is found by its token, and an address may have an account in any organisation")
    @Transactional
    public void acceptInvitation(String token, String displayName, String password, Actor actor) {
        Invitation invitation = openInvitation(token)
                .orElseThrow(() -> new NotFoundException("invitation"));
        String name = requireName("name", displayName);
        requirePassword(password, invitation.email());
        if (users.findByEmailIgnoreCase(invitation.email()).isPresent()) {
            throw new InvalidInputException("email", "this address already has an account, and an account belongs to "
                    + "one organisation: ask for an invitation to another address");
        }
        Instant now = clock.instant();
        UserAccount user = users.save(
                new UserAccount(invitation.email(), name, passwordEncoder.encode(password), now));
        memberships.save(new Membership(invitation.tenantId(), user.id(), invitation.role(), now));
        invitation.accept(now);
        audit(invitation.tenantId(), "MEMBER_JOINED", new Actor(invitation.email(), actor.source(), actor.clientIp()),
                Map.of("email", invitation.email(), "role", invitation.role().name()));
    }

    @Transactional
    public void changeRole(@TenantId UUID tenantId, UUID actingUserId, UUID memberUserId, Role newRole, Actor actor) {
        changeRole(tenantId, actingRole(tenantId, actingUserId), memberUserId, newRole, actor);
    }

    /** {@link #changeRole(UUID, UUID, UUID, Role, Actor)} for a secret key of the role {@code acting}. */
    @Transactional
    public void changeRole(@TenantId UUID tenantId, Role acting, UUID memberUserId, Role newRole, Actor actor) {
        requireManager(acting);
        if (newRole == null) {
            throw new InvalidInputException("role", "is required");
        }
        Membership member = memberships.findByTenantIdAndUserId(tenantId, memberUserId)
                .orElseThrow(() -> new NotFoundException("member"));
        requireMayManage(acting, member);
        requireMayAssign(acting, newRole);
        Role oldRole = member.role();
        if (oldRole == newRole) {
            return;
        }
        if (oldRole == Role.OWNER) {
            requireAnotherOwner(tenantId, memberUserId);
        }
        member.changeRole(newRole);
        audit(tenantId, "MEMBER_ROLE_CHANGED", actor,
                Map.of("member", email(memberUserId), "from", oldRole.name(), "to", newRole.name()));
    }

    @Transactional
    public void removeMember(@TenantId UUID tenantId, UUID actingUserId, UUID memberUserId, Actor actor) {
        Membership member = memberships.findByTenantIdAndUserId(tenantId, memberUserId)
                .orElseThrow(() -> new NotFoundException("member"));
        // Anyone may leave; removing someone else takes an owner or admin.
        remove(tenantId, actingUserId.equals(memberUserId) ? null : actingRole(tenantId, actingUserId), member, actor);
    }

    /** {@link #removeMember(UUID, UUID, UUID, Actor)} for a secret key of the role {@code acting}. */
    @Transactional
    public void removeMember(@TenantId UUID tenantId, Role acting, UUID memberUserId, Actor actor) {
        requireManager(acting);
        Membership member = memberships.findByTenantIdAndUserId(tenantId, memberUserId)
                .orElseThrow(() -> new NotFoundException("member"));
        remove(tenantId, acting, member, actor);
    }

    /** Removes {@code member}, by someone of the role {@code acting} (null: the member leaving). */
    private void remove(UUID tenantId, Role acting, Membership member, Actor actor) {
        UUID memberUserId = member.userId();
        if (acting != null) {
            requireMayManage(acting, member);
        }
        if (member.role() == Role.OWNER) {
            requireAnotherOwner(tenantId, memberUserId);
        }
        String email = email(memberUserId);
        // The account exists only for this membership; deleting it frees the address for a new invitation, and the
        // membership goes with it (on delete cascade). The account first: row-level security shows this organisation
        // an account only while it is a member.
        users.deleteById(memberUserId);
        audit(tenantId, "MEMBER_REMOVED", actor, Map.of("member", email, "role", member.role().name()));
    }

    /** The member's current role, or empty when the user is no longer a member of the tenant. */
    @Transactional(readOnly = true)
    public Optional<Role> currentRole(@TenantId UUID tenantId, UUID userId) {
        return memberships.findByTenantIdAndUserId(tenantId, userId).map(Membership::role);
    }

    private Optional<Invitation> openInvitation(String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Optional.empty();
        }
        return invitations.findByTokenHash(Tokens.sha256(token)).filter(i -> i.isOpen(clock.instant()));
    }

    // Only an owner may hand out ownership; an admin manages everyone below owner.
    private static void requireMayAssign(Role acting, Role role) {
        if (role == Role.OWNER && acting != Role.OWNER) {
            throw new ForbiddenChangeException("Only an owner can make someone an owner.");
        }
    }

    private static void requireMayManage(Role acting, Membership member) {
        if (member.role() == Role.OWNER && acting != Role.OWNER) {
            throw new ForbiddenChangeException("Only an owner can change or remove an owner.");
        }
    }

    private Role actingRole(UUID tenantId, UUID actingUserId) {
        Role acting = currentRole(tenantId, actingUserId)
                .orElseThrow(() -> new ForbiddenChangeException("You are no longer a member of this organisation."));
        requireManager(acting);
        return acting;
    }

    private static void requireManager(Role acting) {
        if (acting != Role.OWNER && acting != Role.ADMIN) {
            throw new ForbiddenChangeException("Only owners and admins manage the team.");
        }
    }

    private void requireAnotherOwner(UUID tenantId, UUID leavingOwnerId) {
        boolean anotherOwner = memberships.lockOwners(tenantId).stream()
                .anyMatch(owner -> !owner.userId().equals(leavingOwnerId));
        if (!anotherOwner) {
            throw new ConflictException("The last owner cannot be removed or demoted; make someone else owner first.");
        }
    }


    private String email(UUID userId) {
        return users.findById(userId).map(UserAccount::email).orElse("unknown");
    }

    private void requirePassword(String password, String email) {
        passwordPolicy.problem(password, email).ifPresent(problem -> {
            throw new InvalidInputException("password", problem);
        });
    }

    private static String requireEmail(String email) {
        if (!EmailAddress.Check.valid(email)) {
            throw new InvalidInputException("email", EmailAddress.MESSAGE);
        }
        return EmailAddress.Check.normalise(email);
    }

    private static String requireName(String field, String value) {
        String trimmed = value == null ? "" : value.strip();
        if (trimmed.isEmpty() || trimmed.length() > 100) {
            throw new InvalidInputException(field, "must be 1 to 100 characters");
        }
        return trimmed;
    }

    private void audit(UUID tenantId, String type, Actor actor, Map<String, ?> details) {
        auditLog.record(new AuditRecord(tenantId, type, actor.name(), actor.source(), actor.clientIp(), details));
    }
}
