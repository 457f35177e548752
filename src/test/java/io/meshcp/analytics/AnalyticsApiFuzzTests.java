package io.meshcp.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whatever range, time zone and granularity an analytics query names, the API answers the series or a 400 naming
 * what is wrong, never a 500: the text goes through Spring's conversion of instants, the zone lookup and the range
 * checks, and then into the SQL of a real query. Through MockMvc and the real filter chain, as a secret key.
 *
 * <p>The input is up to four lines: {@code from}, {@code to}, {@code zone}, {@code granularity}; a parameter whose
 * line is missing is not sent. The seeds are queries as the dashboard and the docs make them (ISO instants, epoch
 * milliseconds, region and offset zones) and near misses.
 */
@IntegrationTest
class AnalyticsApiFuzzTests {

    static final List<String> PARAMETERS = List.of("from", "to", "zone", "granularity");

    static final JsonMapper JSON = JsonMapper.builder().build();

    static String authorization;

    @Autowired
    MockMvc mvc;

    @BeforeAll
    static void secretKey(@Autowired Fixtures fixtures) {
        authorization = "Bearer " + fixtures.secretKey(fixtures.tenant().id()).key();
    }

    @FuzzTest
    void anyRangeZoneAndGranularityIsAnsweredOrRefusedWith400(byte[] input) throws Exception {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", -1);
        MockHttpServletRequestBuilder request = get("/api/v1/analytics/timeseries").header("Authorization",
                authorization);
        for (int i = 0; i < Math.min(lines.length, PARAMETERS.size()); i++) {
            request.param(PARAMETERS.get(i), lines[i]);
        }

        MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();

        assertThat(response.getStatus()).as(String.join(" | ", lines)).isIn(200, 400);
        JsonNode body = JSON.readTree(response.getContentAsByteArray());
        if (response.getStatus() == 200) {
            assertThat(body.isArray()).isTrue();
        }
        else {
            assertThat(body.get("errors").valueStream().map(error -> error.get("field").asString()))
                    .as(body.toString()).isNotEmpty().allMatch(PARAMETERS::contains);
        }
    }
}
