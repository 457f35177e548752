package io.meshcp.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.meshcp.audit.AuditLog;
import io.meshcp.audit.AuditQuery;
import io.meshcp.support.Dashboard;
import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;

/** Sign-up and invitations as someone probing for accounts would use them. */
@IntegrationTest
class SignUpTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    Fixtures fixtures;

    @Autowired
    Accounts accounts;

    @Autowired
    AuditLog auditLog;

    // A network of its own for each test, so the per-network throttle of one never meets another's (or another run's,
    // with Redis keeping buckets for an hour).
    final String network = "100." + ThreadLocalRandom.current().nextInt(256) + "." + ThreadLocalRandom.current()
            .nextInt(256) + ".";

    @Test
    void aNewOwnerIsSignedInAtOnceWhileAnAddressThatHasAnAccountCreatesNothingAndIsSentToSignIn() throws Exception {
        Fixtures.Tenant existing = fixtures.tenant();
        String fresh = "new-" + unique() + "@example.com";

        MvcResult created = signUp("Fresh " + unique(), fresh, Fixtures.PASSWORD).andReturn();
        assertThat(created.getResponse().getRedirectedUrl()).isEqualTo("/integration");
        assertThat(created.getFlashMap().get("notice")).isEqualTo(SignupController.WELCOME);
        MockHttpSession signedIn = (MockHttpSession) created.getRequest().getSession(false);
        assertThat(signedIn).isNotNull();
        mvc.perform(get("/integration").session(signedIn)).andExpect(status().isOk());
        mvc.perform(get("/team").session(signedIn)).andExpect(status().isOk())
                .andExpect(result -> assertThat(result.getResponse().getContentAsString()).contains(fresh));

        String probedOrganisation = "Probe " + unique();
        MvcResult probed = signUp(probedOrganisation, existing.ownerEmail().toUpperCase(), Fixtures.PASSWORD)
                .andReturn();
        assertThat(probed.getResponse().getRedirectedUrl()).isEqualTo("/login");
        assertThat(probed.getFlashMap().get("notice")).isEqualTo(SignupController.ADDRESS_IN_USE);
        MockHttpSession notSignedIn = (MockHttpSession) probed.getRequest().getSession(true);
        mvc.perform(get("/").session(notSignedIn)).andExpect(status().is3xxRedirection())
                .andExpect(result -> assertThat(result.getResponse().getRedirectedUrl()).endsWith("/login"));
        assertThat(accounts.findTenantByName(probedOrganisation)).isEmpty();
        assertThat(auditLog.find(existing.id(), new AuditQuery(null, null, "SIGN_UP_WITH_MEMBER_ADDRESS"), 0, 10)
                .getContent()).singleElement().satisfies(entry -> assertThat(entry.details())
                        .containsEntry("organisation", probedOrganisation));
    }

    @Test
    void signUpsAreThrottledPerNetworkKeepingWhatWasTypedWhileOtherNetworksGoOn() throws Exception {
        // Refused ones count too: each attempt could be a probe. These are refused for their short password.
        for (int i = 0; i < 20; i++) {
            signUp("Busy " + i, "busy-" + unique() + "@example.com", "short").andExpect(status().is(422));
        }

        String page = signUp("Kept Organisation", "kept@example.com", Fixtures.PASSWORD)
                .andExpect(status().isTooManyRequests()).andReturn().getResponse().getContentAsString();

        assertThat(page).contains("Too many sign-ups from your network. Try again in")
                .contains("value=\"Kept Organisation\"").contains("value=\"kept@example.com\"");
        assertThat(accounts.findTenantByName("Kept Organisation")).isEmpty();
        mvc.perform(post("/signup").with(csrf()).with(request -> {
            request.setRemoteAddr("198.18." + ThreadLocalRandom.current().nextInt(256) + ".9");
            return request;
        }).param("organisation", "Elsewhere " + unique()).param("displayName", "Eve")
                .param("email", "elsewhere-" + unique() + "@example.com").param("password", Fixtures.PASSWORD))
                .andExpect(redirectedUrl("/integration"))
                .andExpect(flash().attribute("notice", SignupController.WELCOME));
    }

    @Test
    void anInvitationToAnAddressWithAnAccountTellsTheInviterNothingAndCreatesNothing() throws Exception {
        Fixtures.Tenant elsewhere = fixtures.tenant();
        Fixtures.Tenant inviting = fixtures.tenant();
        MockHttpSession owner = Dashboard.login(mvc, inviting.ownerEmail(), Fixtures.PASSWORD);

        MvcResult invited = mvc.perform(post("/team/invitations").session(owner).with(csrf())
                .param("email", elsewhere.ownerEmail()).param("role", "OPS")).andExpect(redirectedUrl("/team"))
                .andReturn();

        String link = (String) invited.getFlashMap().get("invitationLink");
        assertThat(link).as("the inviter gets a link, as for any address").isNotBlank();
        String path = URI.create(link).getPath();
        String refusal = mvc.perform(post(path).with(csrf()).param("displayName", "Someone")
                .param("password", Fixtures.PASSWORD)).andExpect(status().is(422)).andReturn().getResponse()
                .getContentAsString();
        assertThat(refusal).contains("already has an account");
        assertThat(accounts.members(inviting.id())).noneMatch(m -> m.email().equals(elsewhere.ownerEmail()));
        mvc.perform(get(path)).andExpect(status().isOk());
    }

    @Test
    void aSignUpIsRefusedNamingEveryFieldAtFaultAndCreatesNothing() throws Exception {
        String page = signUp("   ", "not-an-address", "short").andExpect(status().is(422)).andReturn()
                .getResponse().getContentAsString();

        assertThat(page).contains("organisation: must be 1 to 100 characters")
                .contains("email: must be a valid email address").contains("password: ")
                .containsPattern("name=\"organisation\"[^>]*class=\"[^\"]*invalid")
                .containsPattern("name=\"email\"[^>]*class=\"[^\"]*invalid");
        assertThat(accounts.findTenantByName("   ")).isEmpty();
    }

    private ResultActions signUp(String organisation, String email, String password) throws Exception {
        return mvc.perform(post("/signup").with(csrf()).with(request -> {
            request.setRemoteAddr(network + "7");
            return request;
        }).param("organisation", organisation).param("displayName", "Probe").param("email", email)
                .param("password", password));
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
