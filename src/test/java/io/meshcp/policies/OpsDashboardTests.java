package io.meshcp.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.List;

import io.meshcp.shared.caller.Actor;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.StreamView;
import io.meshcp.streams.Streams;
import io.meshcp.support.Dashboard;
import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

@IntegrationTest
class OpsDashboardTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    Fixtures fixtures;

    @Autowired
    Streams streams;

    @Autowired
    Policies policies;

    @Autowired
    LiveEvents liveEvents;

    Fixtures.Tenant tenant;

    MockHttpSession owner;

    StreamView stream;

    @BeforeEach
    void setUp() throws Exception {
        tenant = fixtures.tenant();
        owner = Dashboard.login(mvc, tenant.ownerEmail(), Fixtures.PASSWORD);
        stream = streams.create(tenant.id(), new StreamRequest("final", "Cup final", StreamKind.LIVE, List.of(), null,
                false), Actor.SYSTEM);
    }

    @Test
    void thePagesOfStreamsPoliciesEventsAndIntegrationRender() throws Exception {
        liveEvents.create(tenant.id(), new LiveEventRequest(stream.id(), "Kick-off", Instant.now().plusSeconds(3600),
                Instant.now().plusSeconds(7200), new PolicyFields(null, 1500, null, null, null, null, null, null, null)),
                Actor.SYSTEM);

        assertThat(page("/streams")).contains("Cup final");
        assertThat(page("/streams?q=nothing-matches")).contains("No stream matches");
        assertThat(page("/streams/" + stream.id())).contains("Cup final").contains("/streams/" + stream.id() + "/policy");
        assertThat(page("/streams/" + stream.id() + "/policy")).contains("latencyBudgetMs").contains("PLATFORM");
        assertThat(page("/policy")).contains("Default policy").contains("holdoutPercent");
        assertThat(page("/live-events")).contains("Kick-off").contains("1500 ms");
        assertThat(page("/integration")).contains("p2p-media-loader-hlsjs").contains("/v1/client-config");
    }

    @Test
    void opsStaffEditAStreamFromItsPage() throws Exception {
        mvc.perform(post("/streams/{id}", stream.id()).session(owner).with(csrf()).param("externalId", "final-2026")
                .param("name", "Cup final 2026").param("kind", "LIVE")
                .param("renditions", "720p 3000000 1280x720\n1080p 6000000 1920x1080").param("manifestUrl", ""));

        StreamView saved = streams.get(tenant.id(), stream.id());
        assertThat(saved.externalId()).isEqualTo("final-2026");
        assertThat(saved.renditions()).extracting(r -> r.id()).containsExactly("720p", "1080p");
        assertThat(page("/streams/" + stream.id())).contains("1080p 6000000 1920x1080");

        mvc.perform(post("/streams/{id}", stream.id()).session(owner).with(csrf()).param("externalId", "bad id!")
                .param("name", "x").param("kind", "LIVE"));
        assertThat(streams.get(tenant.id(), stream.id()).name()).isEqualTo("Cup final 2026");
    }

    @Test
    void savingWithAnOutdatedVersionShowsAConflictAndChangesNothing() throws Exception {
        policies.replaceStreamPolicy(tenant.id(), stream.id(),
                new PolicyFields(null, 2000, null, null, null, null, null, null, null), "\"v0\"", Actor.SYSTEM);

        String html = mvc.perform(post("/streams/{id}/policy", stream.id()).session(owner).with(csrf())
                .param("version", "0").param("set.latencyBudgetMs", "on").param("value.latencyBudgetMs", "9000"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(html).contains("Someone else saved this policy first");
        assertThat(policies.streamPolicy(tenant.id(), stream.id()).policy().latencyBudgetMs()).isEqualTo(2000);
    }

    @Test
    void opsStaffOverrideAFieldAndViewersOnlyRead() throws Exception {
        String html = mvc.perform(post("/streams/{id}/policy", stream.id()).session(owner).with(csrf())
                .param("version", "0").param("set.maxPeers.mobile", "on").param("value.maxPeers.mobile", "3")
                .param("value.latencyBudgetMs", "9000"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(html).contains("Saved as version 1");
        String unchanged = mvc.perform(post("/streams/{id}/policy", stream.id()).session(owner).with(csrf())
                .param("version", "1").param("set.maxPeers.mobile", "on").param("value.maxPeers.mobile", "3"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(unchanged).contains("Nothing changed, so no new version was saved.");
        assertThat(policies.history(tenant.id(), stream.id())).hasSize(1);
        PolicyDocument saved = policies.streamPolicy(tenant.id(), stream.id());
        assertThat(saved.policy().maxPeers().mobile()).isEqualTo(3);
        assertThat(saved.policy().latencyBudgetMs()).as("not ticked: inherits").isNull();
        assertThat(saved.effective().sources()).containsEntry("maxPeers.mobile", PolicyLevel.STREAM);

        mvc.perform(post("/kill-switch").session(owner).with(csrf()).param("engaged", "true"))
                .andExpect(status().is3xxRedirection()).andExpect(flash().attributeExists("error"));
        assertThat(policies.killSwitches(tenant.id())).as("the tenant-wide switch needs a reason").isEmpty();
        mvc.perform(post("/kill-switch").session(owner).with(csrf()).param("engaged", "true")
                .param("reason", "incident")).andExpect(status().is3xxRedirection());
        assertThat(policies.killSwitches(tenant.id())).singleElement()
                .satisfies(k -> assertThat(k.reason()).isEqualTo("incident"));
    }

    private String page(String path) throws Exception {
        return mvc.perform(get(path).session(owner)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
    }
}
