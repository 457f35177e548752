package io.meshcp.accounts;

import static io.meshcp.support.Http.bearer;
import static io.meshcp.support.Http.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import io.meshcp.shared.caller.Actor;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http.Response;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** The team through the REST API: the team page's rules and audit, for ADMIN keys only, and never about owners. */
@IntegrationTest
class TeamApiTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    Accounts accounts;

    JdbcTemplate jdbc = TestDatabase.owner();

    Http http;

    Fixtures.Tenant tenant;

    String[] admin;

    UUID ownerId;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenant = fixtures.tenant();
        admin = bearer(fixtures.secretKey(tenant.id(), Role.ADMIN).key());
        ownerId = accounts.members(tenant.id()).get(0).userId();
    }

    @Test
    void anInvitationMadeThroughTheApiGivesItsLinkOnceAndCanBeRevoked() {
        Response invited = http.post("/api/v1/invitations", """
                {"email": "New.Person@example.com", "role": "OPS"}""", with(admin, "Idempotency-Key", "invite-1"));

        assertThat(invited.status()).isEqualTo(201);
        assertThat(invited.header("Cache-Control")).contains("no-store");
        String link = invited.json().get("link").asString();
        String id = invited.json().get("invitation").get("id").asString();
        assertThat(link).startsWith("http://localhost:" + port + "/invitations/");
        assertThat(invited.header("Location")).endsWith("/api/v1/invitations/" + id);
        assertThat(invited.json().get("invitation").get("email").asString()).isEqualTo("new.person@example.com");
        String path = link.substring(link.indexOf("/invitations/"));
        assertThat(http.get(path).status()).as("the link's page").isEqualTo(200);
        Response retried = http.post("/api/v1/invitations", """
                {"email": "New.Person@example.com", "role": "OPS"}""", with(admin, "Idempotency-Key", "invite-1"));
        assertThat(retried.status()).isEqualTo(409);
        assertThat(retried.body()).doesNotContain(link.substring(link.lastIndexOf('/') + 1));
        assertThat(http.get("/api/v1/invitations", admin).json()).hasSize(1);
        assertThat(audited("MEMBER_INVITED")).isEqualTo("API");

        assertThat(http.delete("/api/v1/invitations/" + id, admin).status()).isEqualTo(204);

        assertThat(http.get(path).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/invitations", admin).json()).isEmpty();
        assertThat(http.delete("/api/v1/invitations/" + id, admin).status()).isEqualTo(404);

        Response invalid = http.post("/api/v1/invitations", "{\"email\": \"not an address\"}", admin);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("errors").valueStream().map(error -> error.get("field").asString()))
                .containsExactlyInAnyOrder("email", "role");
    }

    @Test
    void anAdminKeyChangesAndRemovesMembersButNeverTouchesOwnersNorMakesOne() {
        UUID member = join("ops-person", Role.VIEWER);

        Response changed = http.put("/api/v1/members/" + member + "/role", "{\"role\": \"OPS\"}", admin);

        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("role").asString()).isEqualTo("OPS");
        assertThat(accounts.currentRole(tenant.id(), member)).contains(Role.OPS);
        assertThat(audited("MEMBER_ROLE_CHANGED")).isEqualTo("API");

        Response makeOwner = http.put("/api/v1/members/" + member + "/role", "{\"role\": \"OWNER\"}", admin);
        assertThat(makeOwner.status()).isEqualTo(403);
        assertThat(makeOwner.json().get("detail").asString()).contains("Only an owner");
        assertThat(http.put("/api/v1/members/" + ownerId + "/role", "{\"role\": \"VIEWER\"}", admin).status())
                .isEqualTo(403);
        assertThat(http.delete("/api/v1/members/" + ownerId, admin).status()).isEqualTo(403);
        assertThat(http.post("/api/v1/invitations", "{\"email\": \"boss@example.com\", \"role\": \"OWNER\"}", admin)
                .status()).isEqualTo(403);
        assertThat(http.put("/api/v1/members/" + member + "/role", "{\"role\": \"CHIEF\"}", admin).status())
                .isEqualTo(400);
        assertThat(accounts.currentRole(tenant.id(), ownerId)).contains(Role.OWNER);

        assertThat(http.delete("/api/v1/members/" + member, admin).status()).isEqualTo(204);

        assertThat(accounts.currentRole(tenant.id(), member)).isEmpty();
        assertThat(http.get("/api/v1/members", admin).json()).hasSize(1);
        assertThat(audited("MEMBER_REMOVED")).isEqualTo("API");
    }

    @Test
    void lowerKeysSeeTheTeamButChangeNothingAndOtherOrganisationsMembersAreNotFound() {
        UUID member = join("viewer-person", Role.VIEWER);
        for (Role role : new Role[] {Role.OPS, Role.VIEWER}) {
            String[] lower = bearer(fixtures.secretKey(tenant.id(), role).key());
            assertThat(http.get("/api/v1/members", lower).json()).as(role.name()).hasSize(2);
            assertThat(http.put("/api/v1/members/" + member + "/role", "{\"role\": \"OPS\"}", lower).status())
                    .as(role.name()).isEqualTo(403);
            assertThat(http.delete("/api/v1/members/" + member, lower).status()).as(role.name()).isEqualTo(403);
        }
        String[] theirs = bearer(fixtures.secretKey(fixtures.tenant().id(), Role.ADMIN).key());
        assertThat(http.put("/api/v1/members/" + member + "/role", "{\"role\": \"OPS\"}", theirs).status())
                .isEqualTo(404);
        assertThat(http.delete("/api/v1/members/" + member, theirs).status()).isEqualTo(404);
        assertThat(accounts.currentRole(tenant.id(), member)).contains(Role.VIEWER);
    }

    /** Someone invited by the owner who accepted: their user id. */
    private UUID join(String name, Role role) {
        // Addresses are unique across organisations, and the test database outlives a run.
        String email = name + "-" + UUID.randomUUID() + "@example.com";
        IssuedInvitation invitation = accounts.invite(tenant.id(), ownerId, email, role, Actor.SYSTEM);
        accounts.acceptInvitation(invitation.token(), "New Person", Fixtures.PASSWORD, Actor.SYSTEM);
        return accounts.members(tenant.id()).stream().filter(m -> m.email().equals(email)).findFirst().orElseThrow()
                .userId();
    }

    private String audited(String type) {
        return jdbc.queryForObject("select source from audit_events where tenant_id = ? and type = ? "
                + "order by occurred_at desc limit 1", String.class, tenant.id(), type);
    }
}
