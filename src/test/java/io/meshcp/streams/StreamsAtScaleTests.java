package io.meshcp.streams;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.meshcp.support.Dashboard;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.Http.Response;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/** A tenant with 10,000 streams: paging, search and the dashboard list stay correct (speed: docs/benchmarks.md). */
@IntegrationTest
class StreamsAtScaleTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    JdbcTemplate jdbc = TestDatabase.owner();

    @Autowired
    MockMvc mvc;

    @Test
    void tenThousandStreamsArePagedAndSearched() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant();
        jdbc.update("""
                insert into streams (id, tenant_id, external_id, name, kind, created_at, updated_at)
                select gen_random_uuid(), ?, 'vod-' || lpad(n::text, 5, '0'), 'Episode ' || lpad(n::text, 5, '0'),
                       'VOD', now(), now()
                from generate_series(1, 10000) n""", tenant.id());
        String[] auth = bearer(fixtures.secretKey(tenant.id()).key());
        Http http = new Http(port);

        Response last = http.get("/api/v1/streams?size=50&page=199", auth);
        Response search = http.get("/api/v1/streams?q=vod-04242", auth);

        assertThat(last.json().get("totalItems").asLong()).isEqualTo(10_000);
        assertThat(last.json().get("items")).hasSize(50);
        assertThat(last.json().get("items").get(49).get("name").asString()).isEqualTo("Episode 10000");
        assertThat(search.json().get("items")).singleElement()
                .satisfies(item -> assertThat(item.get("name").asString()).isEqualTo("Episode 04242"));

        MockHttpSession session = Dashboard.login(mvc, tenant.ownerEmail(), Fixtures.PASSWORD);
        String page = mvc.perform(get("/streams?page=3").session(session)).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString();
        assertThat(page).contains("Page 4 of 200").contains("10000 streams").contains("Episode 00151");
    }
}
