package io.meshcp.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import io.meshcp.audit.AuditLog;
import io.meshcp.audit.AuditQuery;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.problems.ConflictException;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.shared.problems.NotFoundException;
import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

@IntegrationTest
class AccountsTests {

    @Autowired
    Accounts accounts;

    @Autowired
    Fixtures fixtures;

    @Autowired
    AuditLog auditLog;

    JdbcTemplate jdbc = TestDatabase.owner();

    @Autowired
    PasswordEncoder passwordEncoder;

    @Test
    void signUpCreatesTheOrganisationWithItsOwnerAndAuditsIt() {
        String id = unique();
        TenantView tenant = accounts.signUp(new SignUp("Acme " + id, "Ada", "Ada." + id + "@Example.com",
                Fixtures.PASSWORD), Actor.SYSTEM);

        assertThat(accounts.members(tenant.id())).singleElement().satisfies(owner -> {
            assertThat(owner.role()).isEqualTo(Role.OWNER);
            assertThat(owner.email()).isEqualTo("ada." + id + "@example.com");
        });
        String hash = jdbc.queryForObject("select password_hash from users where lower(email) = ?", String.class,
                "ada." + id + "@example.com");
        assertThat(hash).startsWith("{argon2@SpringSecurity_v5_8}").doesNotContain(Fixtures.PASSWORD);
        assertThat(passwordEncoder.matches(Fixtures.PASSWORD, hash)).isTrue();
        assertThat(auditLog.find(tenant.id(), new AuditQuery(null, null, "TENANT_SIGNED_UP"), 0, 10))
                .singleElement().satisfies(event -> assertThat(event.details()).doesNotContainKey("password"));
    }

    @Test
    void signUpRefusesBadInputNamingTheFieldAndCreatesNothing() {
        Fixtures.Tenant existing = fixtures.tenant();
        String id = unique();

        assertRefused(new SignUp("Org " + id, "Bo", "bo" + id + "@example.com", "short pass"), "password");
        assertRefused(new SignUp("Org " + id, "Bo", "bo" + id + "@example.com", "password123456"), "password");
        assertRefused(new SignUp("Org " + id, "Bo", "bo" + id + "@example.com", "iloveyou!!!!2024"), "password");
        assertRefused(new SignUp("Org " + id, "Bo", "bo" + id + "@example.com", "aaaaaaaaaaaaaaaa"), "password");
        assertRefused(new SignUp("Org " + id, "Bo", "bo" + id + "@example.com", "x".repeat(257) + "yz"),
                "password");
        assertRefused(new SignUp("Org " + id, "Bo", "bo" + id + "@example.com", "bo" + id + "2024"), "password");
        assertRefused(new SignUp("Org " + id, "Bo", "not-an-email", Fixtures.PASSWORD), "email");
        assertThatThrownBy(() -> accounts.signUp(new SignUp("Org " + id, "Bo", existing.ownerEmail().toUpperCase(),
                Fixtures.PASSWORD), Actor.SYSTEM)).as("the page answers it as a success").isInstanceOf(
                        AddressInUseException.class);
        assertRefused(new SignUp(existing.view().name().toUpperCase(), "Bo", "bo" + id + "@example.com",
                Fixtures.PASSWORD), "organisation");
        assertRefused(new SignUp(" ", "Bo", "bo" + id + "@example.com", Fixtures.PASSWORD), "organisation");

        // Other test classes sign up at the same time: what these attempts could have made is counted by name.
        assertThat(count("tenants where name = ? or btrim(name) = ''", "Org " + id)).isZero();
        assertThat(count("users where email like ?", "%" + id + "%")).isZero();
        assertThat(count("tenants where lower(name) = lower(?)", existing.view().name())).isOne();
        assertThat(count("users where lower(email) = lower(?)", existing.ownerEmail())).isOne();
    }

    @Test
    void longPassphrasesAndAnyScriptAreAccepted() {
        String id = unique();
        String passphrase = "ünïcödé passphrase with spaces and 64+ characters is perfectly fine " + id;

        TenantView tenant = accounts.signUp(new SignUp("Long " + id, "Lu", "lu" + id + "@example.com", passphrase),
                Actor.SYSTEM);

        assertThat(accounts.members(tenant.id())).hasSize(1);
    }

    @Test
    void anInvitationLinkLetsTheInviteeJoinOnceWithTheInvitedRole() {
        Fixtures.Tenant tenant = fixtures.tenant();
        UUID owner = ownerId(tenant);
        String email = "ops-" + unique() + "@example.com";

        IssuedInvitation invitation = accounts.invite(tenant.id(), owner, email, Role.OPS, Actor.SYSTEM);
        assertThat(accounts.openInvitations(tenant.id())).extracting(InvitationView::email).containsExactly(email);
        assertThat(accounts.pendingInvitation(invitation.token())).get()
                .satisfies(p -> assertThat(p.organisation()).isEqualTo(tenant.view().name()));

        accounts.acceptInvitation(invitation.token(), "Olga", Fixtures.PASSWORD, Actor.SYSTEM);

        assertThat(accounts.members(tenant.id())).filteredOn(m -> m.email().equals(email)).singleElement()
                .satisfies(member -> assertThat(member.role()).isEqualTo(Role.OPS));
        assertThat(accounts.openInvitations(tenant.id())).isEmpty();
        assertThatThrownBy(() -> accounts.acceptInvitation(invitation.token(), "Eve", Fixtures.PASSWORD, Actor.SYSTEM))
                .isInstanceOf(NotFoundException.class);
        assertThat(jdbc.queryForObject("select count(*) from invitations where token_hash::text like ?",
                Integer.class, "%" + invitation.token() + "%")).isZero();
    }

    @Test
    void aRevokedInvitationNoLongerWorks() {
        Fixtures.Tenant tenant = fixtures.tenant();
        IssuedInvitation invitation = accounts.invite(tenant.id(), ownerId(tenant), "r" + unique() + "@example.com",
                Role.VIEWER, Actor.SYSTEM);

        accounts.revokeInvitation(tenant.id(), invitation.invitation().id(), Actor.SYSTEM);

        assertThat(accounts.pendingInvitation(invitation.token())).isEmpty();
    }

    @Test
    void onlyOwnersHandOutOwnershipAndOnlyAdminsManageTheTeam() {
        Fixtures.Tenant tenant = fixtures.tenant();
        UUID admin = join(tenant, Role.ADMIN);
        UUID viewer = join(tenant, Role.VIEWER);

        assertThatThrownBy(() -> accounts.invite(tenant.id(), admin, "x" + unique() + "@example.com", Role.OWNER,
                Actor.SYSTEM)).isInstanceOf(ForbiddenChangeException.class);
        assertThatThrownBy(() -> accounts.changeRole(tenant.id(), admin, viewer, Role.OWNER, Actor.SYSTEM))
                .isInstanceOf(ForbiddenChangeException.class);
        assertThatThrownBy(() -> accounts.changeRole(tenant.id(), admin, ownerId(tenant), Role.VIEWER, Actor.SYSTEM))
                .isInstanceOf(ForbiddenChangeException.class);
        assertThatThrownBy(() -> accounts.invite(tenant.id(), viewer, "y" + unique() + "@example.com", Role.VIEWER,
                Actor.SYSTEM)).isInstanceOf(ForbiddenChangeException.class);
        assertThatThrownBy(() -> accounts.removeMember(tenant.id(), viewer, admin, Actor.SYSTEM))
                .isInstanceOf(ForbiddenChangeException.class);

        accounts.changeRole(tenant.id(), admin, viewer, Role.OPS, Actor.SYSTEM);
        assertThat(accounts.currentRole(tenant.id(), viewer)).contains(Role.OPS);
    }

    @Test
    void theLastOwnerCanNeitherBeDemotedNorRemoved() {
        Fixtures.Tenant tenant = fixtures.tenant();
        UUID owner = ownerId(tenant);

        assertThatThrownBy(() -> accounts.changeRole(tenant.id(), owner, owner, Role.ADMIN, Actor.SYSTEM))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> accounts.removeMember(tenant.id(), owner, owner, Actor.SYSTEM))
                .isInstanceOf(ConflictException.class);
        assertThat(accounts.currentRole(tenant.id(), owner)).contains(Role.OWNER);

        UUID second = join(tenant, Role.ADMIN);
        accounts.changeRole(tenant.id(), owner, second, Role.OWNER, Actor.SYSTEM);
        accounts.changeRole(tenant.id(), second, owner, Role.VIEWER, Actor.SYSTEM);

        assertThat(accounts.currentRole(tenant.id(), owner)).contains(Role.VIEWER);
        assertThat(accounts.members(tenant.id())).filteredOn(m -> m.role() == Role.OWNER).hasSize(1);
    }

    @Test
    void anotherTenantsMembersAndInvitationsAreNotFoundAndStayUnchanged() {
        Fixtures.Tenant mine = fixtures.tenant();
        Fixtures.Tenant theirs = fixtures.tenant();
        UUID theirMember = join(theirs, Role.VIEWER);
        IssuedInvitation theirInvitation = accounts.invite(theirs.id(), ownerId(theirs),
                "t" + unique() + "@example.com", Role.VIEWER, Actor.SYSTEM);

        assertThatThrownBy(() -> accounts.changeRole(mine.id(), ownerId(mine), theirMember, Role.ADMIN, Actor.SYSTEM))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> accounts.removeMember(mine.id(), ownerId(mine), theirMember, Actor.SYSTEM))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> accounts.revokeInvitation(mine.id(), theirInvitation.invitation().id(), Actor.SYSTEM))
                .isInstanceOf(NotFoundException.class);
        // Acting in another tenant with one's own id is refused too.
        assertThatThrownBy(() -> accounts.changeRole(theirs.id(), ownerId(mine), theirMember, Role.ADMIN,
                Actor.SYSTEM)).isInstanceOf(ForbiddenChangeException.class);

        assertThat(accounts.currentRole(theirs.id(), theirMember)).contains(Role.VIEWER);
        assertThat(accounts.openInvitations(theirs.id())).hasSize(1);
        assertThat(accounts.members(mine.id())).hasSize(1);
    }

    @Test
    void settingsAreValidatedAndAudited() {
        Fixtures.Tenant tenant = fixtures.tenant();
        TenantView before = accounts.tenant(tenant.id());

        assertThatThrownBy(() -> accounts.updateSettings(tenant.id(), new TenantSettings("New name",
                new BigDecimal("-1"), "USD", List.of(), 30), Actor.SYSTEM))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("cdnPricePerGb"));
        assertThatThrownBy(() -> accounts.updateSettings(tenant.id(), new TenantSettings("New name",
                new BigDecimal("0.01"), "USD", List.of("ftp://example.com"), 30), Actor.SYSTEM))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("defaultAllowedOrigins"));
        assertThatThrownBy(() -> accounts.updateSettings(tenant.id(), new TenantSettings("New name",
                new BigDecimal("0.01"), "USD", List.of(), 45), Actor.SYSTEM))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("telemetryRetentionDays"));
        for (String currency : new String[] {"XYZ", "EURO", "", "€"}) {
            assertThatThrownBy(() -> accounts.updateSettings(tenant.id(), new TenantSettings("New name",
                    new BigDecimal("0.01"), currency, List.of(), 30), Actor.SYSTEM)).as(currency)
                    .isInstanceOfSatisfying(InvalidInputException.class,
                            e -> assertThat(e.field()).isEqualTo("currency"));
        }
        assertThat(accounts.tenant(tenant.id())).isEqualTo(before);

        TenantView after = accounts.updateSettings(tenant.id(), new TenantSettings("Renamed " + unique(),
                new BigDecimal("0.0125"), "eur", List.of("https://*.Example.com/", "https://a.b"), 90),
                Actor.SYSTEM);

        assertThat(before.telemetryRetentionDays()).isEqualTo(30);
        assertThat(after.telemetryRetentionDays()).isEqualTo(90);
        assertThat(accounts.tenant(tenant.id()).telemetryRetentionDays()).isEqualTo(90);
        assertThat(after.cdnPricePerGb()).isEqualByComparingTo("0.0125");
        assertThat(before.currency()).isEqualTo("USD");
        assertThat(after.currency()).isEqualTo("EUR");
        assertThat(after.defaultAllowedOrigins()).containsExactly("https://*.example.com", "https://a.b");
        assertThat(auditLog.find(tenant.id(), new AuditQuery(null, null, "TENANT_SETTINGS_CHANGED"), 0, 10))
                .hasSize(1);
    }

    private void assertRefused(SignUp signUp, String field) {
        assertThatThrownBy(() -> accounts.signUp(signUp, Actor.SYSTEM)).as(signUp.toString())
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo(field));
    }

    private UUID join(Fixtures.Tenant tenant, Role role) {
        String email = role.name().toLowerCase() + "-" + unique() + "@example.com";
        IssuedInvitation invitation = accounts.invite(tenant.id(), ownerId(tenant), email, role, Actor.SYSTEM);
        accounts.acceptInvitation(invitation.token(), role.name(), Fixtures.PASSWORD, Actor.SYSTEM);
        return accounts.members(tenant.id()).stream().filter(m -> m.email().equals(email)).findFirst().orElseThrow()
                .userId();
    }

    private UUID ownerId(Fixtures.Tenant tenant) {
        return accounts.members(tenant.id()).stream().filter(m -> m.email().equals(tenant.ownerEmail())).findFirst()
                .orElseThrow().userId();
    }

    private int count(String rows, Object... arguments) {
        return jdbc.queryForObject("select count(*) from " + rows, Integer.class, arguments);
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
