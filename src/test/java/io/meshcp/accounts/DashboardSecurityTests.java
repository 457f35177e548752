package io.meshcp.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.meshcp.audit.AuditEntry;
import io.meshcp.audit.AuditLog;
import io.meshcp.audit.AuditQuery;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Source;
import io.meshcp.support.Dashboard;
import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

@IntegrationTest
class DashboardSecurityTests {

    @LocalServerPort
    int port;

    @Autowired
    MockMvc mvc;

    @Autowired
    Fixtures fixtures;

    @Autowired
    Accounts accounts;

    @Autowired
    AuditLog auditLog;

    @Test
    void pagesNeedASignedInMember() throws Exception {
        for (String page : List.of("/", "/keys", "/team", "/audit", "/settings", "/streams")) {
            mvc.perform(get(page)).andExpect(status().is3xxRedirection())
                    .andExpect(redirectedUrl("/login"));
        }
    }

    @Test
    void everyPageOfTheFrameRendersForAMember() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant();
        MockHttpSession session = Dashboard.login(mvc, tenant.ownerEmail(), Fixtures.PASSWORD);

        for (String page : List.of("/", "/streams", "/live-events", "/analytics", "/integration", "/keys", "/team",
                "/audit", "/settings")) {
            String html = mvc.perform(get(page).session(session)).andExpect(status().isOk()).andReturn()
                    .getResponse().getContentAsString();
            assertThat(html).as(page).contains("Sign out");
        }
    }

    @Test
    void formsWithoutACsrfTokenAreRefused() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant();
        MockHttpSession session = Dashboard.login(mvc, tenant.ownerEmail(), Fixtures.PASSWORD);

        mvc.perform(post("/keys").session(session).param("kind", "SECRET").param("name", "no csrf"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/login").param("email", tenant.ownerEmail()).param("password", Fixtures.PASSWORD))
                .andExpect(status().isForbidden());
    }

    @Test
    void loginChangesTheSessionIdAndIsAudited() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant();
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).build();
        String loginPage = browser.send(HttpRequest.newBuilder(URI.create(base() + "/login")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String before = sessionId(cookies);
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(loginPage);
        assertThat(csrf.find()).isTrue();
        String form = "email=" + URLEncoder.encode(tenant.ownerEmail(), StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(Fixtures.PASSWORD, StandardCharsets.UTF_8) + "&_csrf=" + csrf.group(1);

        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(URI.create(base() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(url -> assertThat(url).endsWith("/"));
        assertThat(before).isNotNull();
        assertThat(sessionId(cookies)).isNotNull().isNotEqualTo(before);
        assertThat(auditLog.find(tenant.id(), new AuditQuery(null, null, "LOGIN_SUCCEEDED"), 0, 10))
                .singleElement().satisfies(event -> {
                    assertThat(event.actor()).isEqualTo(tenant.ownerEmail());
                    assertThat(event.source()).isEqualTo(Source.DASHBOARD);
                    assertThat(event.clientIp()).isEqualTo("127.0.0.0/24");
                });
    }

    @Test
    void aFailedLoginIsAuditedWithoutThePassword() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant();

        MvcResult result = Dashboard.attempt(mvc, tenant.ownerEmail(), "wrong password guess", network());

        assertThat(result.getResponse().getRedirectedUrl()).isEqualTo("/login?error");
        List<AuditEntry> failures = auditLog.find(tenant.id(), new AuditQuery(null, null, "LOGIN_FAILED"), 0, 10)
                .getContent();
        assertThat(failures).singleElement().satisfies(event -> {
            assertThat(event.actor()).isEqualTo(tenant.ownerEmail());
            assertThat(event.details().toString()).doesNotContain("wrong password guess");
        });
    }

    @Test
    void repeatedFailuresFromOneNetworkAreThrottledEvenWithTheRightPassword() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant();
        String attacker = network();
        for (int i = 0; i < LoginThrottle.PAIR_FREE_FAILURES; i++) {
            assertThat(Dashboard.attempt(mvc, tenant.ownerEmail(), "guess " + i, attacker).getResponse()
                    .getRedirectedUrl()).as("the first failures cost nothing").isEqualTo("/login?error");
        }
        // Guess on until the throttle answers; on a slow machine a one-second wait may pass between guesses.
        String answer = "";
        for (int i = 0; i < 10 && !answer.startsWith("/login?throttled="); i++) {
            answer = Dashboard.attempt(mvc, tenant.ownerEmail(), "more guesses " + i, attacker).getResponse()
                    .getRedirectedUrl();
        }
        assertThat(answer).startsWith("/login?throttled=");
        assertThat(Long.parseLong(answer.substring("/login?throttled=".length()))).as("a wait the page can show")
                .isPositive();

        String withRightPassword = Dashboard.attempt(mvc, tenant.ownerEmail(), Fixtures.PASSWORD, attacker)
                .getResponse().getRedirectedUrl();

        assertThat(withRightPassword).as("refused before the password is checked").startsWith("/login?throttled=");
        // The owner, from another network, is not affected.
        assertThat(Dashboard.attempt(mvc, tenant.ownerEmail(), Fixtures.PASSWORD, network()).getResponse()
                .getRedirectedUrl()).isEqualTo("/");
    }

    @Test
    void aDistributedAttackOnOneAccountDoesNotLockItsOwnerOutOfAKnownNetwork() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant();
        String home = network();
        assertThat(Dashboard.attempt(mvc, tenant.ownerEmail(), Fixtures.PASSWORD, home).getResponse()
                .getRedirectedUrl()).isEqualTo("/");

        for (int i = 0; i <= LoginThrottle.ACCOUNT_FREE_FAILURES; i++) {
            Dashboard.attempt(mvc, tenant.ownerEmail(), "guess " + i, network());
        }

        assertThat(Dashboard.attempt(mvc, tenant.ownerEmail(), Fixtures.PASSWORD, network()).getResponse()
                .getRedirectedUrl()).startsWith("/login?throttled=");
        assertThat(Dashboard.attempt(mvc, tenant.ownerEmail(), Fixtures.PASSWORD, home).getResponse()
                .getRedirectedUrl()).isEqualTo("/");
    }

    @Test
    void rolesLimitWhatAMemberMayChange() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant();
        MockHttpSession viewer = Dashboard.login(mvc, join(tenant, Role.VIEWER), Fixtures.PASSWORD);
        MockHttpSession ops = Dashboard.login(mvc, join(tenant, Role.OPS), Fixtures.PASSWORD);

        mvc.perform(post("/keys").session(viewer).with(csrf()).param("kind", "SECRET").param("name", "x"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/keys").session(ops).with(csrf()).param("kind", "SECRET").param("name", "x"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/team/invitations").session(ops).with(csrf()).param("email", "z@example.com")
                .param("role", "VIEWER")).andExpect(status().isForbidden());
        mvc.perform(post("/settings").session(ops).with(csrf()).param("name", "hijacked")
                .param("cdnPricePerGb", "1").param("currency", "USD").param("retentionDays", "7")).andExpect(status().isForbidden());

        assertThat(accounts.tenant(tenant.id()).name()).isEqualTo(tenant.view().name());
        assertThat(accounts.tenant(tenant.id()).telemetryRetentionDays()).isEqualTo(30);
        assertThat(accounts.openInvitations(tenant.id())).isEmpty();
    }

    @Test
    void aRoleChangeAppliesFromTheNextRequestAndARemovedMemberIsSignedOut() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant();
        String adminEmail = join(tenant, Role.ADMIN);
        MockHttpSession admin = Dashboard.login(mvc, adminEmail, Fixtures.PASSWORD);
        MockHttpSession owner = Dashboard.login(mvc, tenant.ownerEmail(), Fixtures.PASSWORD);
        UUID adminId = memberId(tenant, adminEmail);

        mvc.perform(post("/team/members/{id}/role", adminId).session(owner).with(csrf()).param("role", "VIEWER"))
                .andExpect(redirectedUrl("/team"));
        mvc.perform(post("/keys").session(admin).with(csrf()).param("kind", "SECRET").param("name", "x"))
                .andExpect(status().isForbidden());

        mvc.perform(post("/team/members/{id}/remove", adminId).session(owner).with(csrf()))
                .andExpect(redirectedUrl("/team"));
        mvc.perform(get("/").session(admin)).andExpect(redirectedUrl("/login?removed"));
    }

    @Test
    void anotherTenantsIdsAnswer404InTheDashboardAndChangeNothing() throws Exception {
        Fixtures.Tenant mine = fixtures.tenant();
        Fixtures.Tenant theirs = fixtures.tenant();
        String theirMember = join(theirs, Role.VIEWER);
        var theirKey = fixtures.secretKey(theirs.id());
        MockHttpSession session = Dashboard.login(mvc, mine.ownerEmail(), Fixtures.PASSWORD);

        mvc.perform(post("/keys/{id}/revoke", theirKey.view().id()).session(session).with(csrf()))
                .andExpect(status().isNotFound());
        mvc.perform(post("/keys/{id}/rotate", theirKey.view().id()).session(session).with(csrf()))
                .andExpect(status().isNotFound());
        mvc.perform(post("/team/members/{id}/role", memberId(theirs, theirMember)).session(session).with(csrf())
                .param("role", "ADMIN")).andExpect(status().isNotFound());
        mvc.perform(post("/team/members/{id}/remove", memberId(theirs, theirMember)).session(session).with(csrf()))
                .andExpect(status().isNotFound());

        String keysPage = mvc.perform(get("/keys").session(session)).andReturn().getResponse().getContentAsString();
        String teamPage = mvc.perform(get("/team").session(session)).andReturn().getResponse().getContentAsString();
        String auditPage = mvc.perform(get("/audit").session(session)).andReturn().getResponse().getContentAsString();
        assertThat(keysPage).doesNotContain(theirKey.view().displayPrefix());
        assertThat(teamPage).doesNotContain(theirMember).doesNotContain(theirs.ownerEmail());
        assertThat(auditPage).doesNotContain(theirs.ownerEmail());
        assertThat(accounts.currentRole(theirs.id(), memberId(theirs, theirMember))).contains(Role.VIEWER);
    }

    @Test
    void anInviteeJoinsThroughTheLinkShownToTheInviterAndCanSignIn() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant();
        MockHttpSession owner = Dashboard.login(mvc, tenant.ownerEmail(), Fixtures.PASSWORD);
        String email = "invitee-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";

        MvcResult invited = mvc.perform(post("/team/invitations").session(owner).with(csrf()).param("email", email)
                .param("role", "OPS")).andExpect(redirectedUrl("/team")).andReturn();
        String link = (String) invited.getFlashMap().get("invitationLink");
        String path = URI.create(link).getPath();

        assertThat(mvc.perform(get(path)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString()).contains(tenant.view().name()).contains(email);
        mvc.perform(post(path).with(csrf()).param("displayName", "Ina").param("password", "short"))
                .andExpect(status().is(422));
        mvc.perform(post(path).with(csrf()).param("displayName", "Ina").param("password", Fixtures.PASSWORD))
                .andExpect(redirectedUrl("/login"));
        mvc.perform(get(path)).andExpect(status().isNotFound());

        MockHttpSession invitee = Dashboard.login(mvc, email, Fixtures.PASSWORD);
        mvc.perform(get("/team").session(invitee)).andExpect(status().isOk());
        assertThat(accounts.members(tenant.id())).filteredOn(m -> m.email().equals(email)).singleElement()
                .satisfies(m -> assertThat(m.role()).isEqualTo(Role.OPS));
    }

    @Test
    void signingOutEndsTheSession() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant();
        MockHttpSession session = Dashboard.login(mvc, tenant.ownerEmail(), Fixtures.PASSWORD);

        mvc.perform(post("/logout").session(session).with(csrf())).andExpect(redirectedUrl("/login?logout"));

        mvc.perform(get("/").session(session)).andExpect(redirectedUrl("/login"));
    }

    @Test
    void securityHeadersAreSet() throws Exception {
        mvc.perform(get("/login")).andExpect(status().isOk())
                .andExpect(header().string("X-Frame-Options", "DENY"))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                .andExpect(header().string("Referrer-Policy", "same-origin"))
                .andExpect(header().string("Content-Security-Policy",
                        containsString("frame-ancestors 'none'")));
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private static String sessionId(CookieManager cookies) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID"))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    private String join(Fixtures.Tenant tenant, Role role) {
        String email = role.name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        UUID owner = memberId(tenant, tenant.ownerEmail());
        IssuedInvitation invitation = accounts.invite(tenant.id(), owner, email, role, Actor.SYSTEM);
        accounts.acceptInvitation(invitation.token(), role.name(), Fixtures.PASSWORD, Actor.SYSTEM);
        return email;
    }

    private UUID memberId(Fixtures.Tenant tenant, String email) {
        return accounts.members(tenant.id()).stream().filter(m -> m.email().equals(email)).findFirst().orElseThrow()
                .userId();
    }

    private static String network() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + ".7";
    }
}
