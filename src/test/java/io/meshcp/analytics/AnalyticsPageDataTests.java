package io.meshcp.analytics;

import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.problems.ProblemType;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.Dashboard;
import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/** The JSON behind the analytics pages: the member's own organisation only, its queries run side by side. */
@IntegrationTest
class AnalyticsPageDataTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    Fixtures fixtures;

    @Autowired
    Streams streams;

    @Test
    void bothPagesAnswerForTheMembersOrganisationWithEveryPart() throws Exception {
        MockHttpSession session = Dashboard.login(mvc, fixtures.tenant().ownerEmail(), Fixtures.PASSWORD);

        mvc.perform(get("/analytics/data?hours=720&zone=Asia/Tokyo").session(session)).andExpect(status().isOk())
                .andExpect(jsonPath("$.granularity").value("day")).andExpect(jsonPath("$.byCohort").isArray())
                .andExpect(jsonPath("$.summary.total.events").value(0)).andExpect(jsonPath("$.reasons").isArray())
                .andExpect(jsonPath("$.concurrency").isArray()).andExpect(jsonPath("$.liveEvents").isArray());
        mvc.perform(get("/analytics/quality/data?hours=24").session(session)).andExpect(status().isOk())
                .andExpect(jsonPath("$.granularity").value("hour")).andExpect(jsonPath("$.overall").isEmpty())
                .andExpect(jsonPath("$.byDevice").isArray()).andExpect(jsonPath("$.byNetwork").isArray());
        mvc.perform(get("/analytics/quality").session(session)).andExpect(status().isOk());
        mvc.perform(get("/analytics/trend?zone=Europe/Paris").session(session)).andExpect(status().isOk())
                .andExpect(jsonPath("$.granularity").value("hour")).andExpect(jsonPath("$.points").isEmpty());
        mvc.perform(get("/analytics/series.csv?hours=168&zone=Asia/Tokyo").session(session)).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andExpect(content().string(startsWith("t,group,events,")));
        mvc.perform(get("/analytics/trend")).andExpect(status().is3xxRedirection());
        mvc.perform(get("/analytics/series.csv")).andExpect(status().is3xxRedirection());
    }

    @Test
    void anotherOrganisationsStreamIsNotFoundAndAnUnofferedRangeIsRefusedWithProblemDetails() throws Exception {
        MockHttpSession session = Dashboard.login(mvc, fixtures.tenant().ownerEmail(), Fixtures.PASSWORD);
        String foreign = streams.create(fixtures.tenant().id(), new StreamRequest("theirs", "Theirs", StreamKind.LIVE,
                List.of(), null, false), Actor.SYSTEM).id().toString();

        // The stream is checked inside a part running on another thread: its 404 still reaches the browser.
        for (String path : List.of("/analytics/data", "/analytics/quality/data")) {
            mvc.perform(get(path + "?hours=24&streamId=" + foreign).session(session))
                    .andExpect(status().isNotFound())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value(ProblemType.NOT_FOUND.uri().toString()));
            mvc.perform(get(path + "?hours=5").session(session)).andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.errors[0].field").value("hours"));
            mvc.perform(get(path + "?hours=24&streamId=not-a-uuid").session(session))
                    .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("streamId"));
        }
        mvc.perform(get("/analytics/series.csv?hours=24&streamId=" + foreign).session(session))
                .andExpect(status().isNotFound());
        mvc.perform(get("/analytics/series.csv?hours=5").session(session)).andExpect(status().isBadRequest());
    }
}
