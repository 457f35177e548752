package io.meshcp.streams;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.Http.Response;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class StreamsApiTests {

    static final String FINAL = """
            {"externalId": "cup-final", "name": "Cup final", "kind": "LIVE",
             "renditions": [{"id": "720p", "bitrate": 3000000, "resolution": "1280x720"},
                            {"id": "1080p", "bitrate": 6000000, "resolution": "1920x1080"}],
             "manifestUrl": "https://cdn.example.com/final/master.m3u8"}""";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    JdbcTemplate jdbc = TestDatabase.owner();

    Http http;

    Fixtures.Tenant tenant;

    String[] auth;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenant = fixtures.tenant();
        auth = bearer(fixtures.secretKey(tenant.id()).key());
    }

    @Test
    void createsReadsUpdatesArchivesAndRestoresAStream() {
        Response created = http.post("/api/v1/streams", FINAL, auth);
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(created.header("Location")).isEqualTo("http://localhost:" + port + "/api/v1/streams/" + id);
        assertThat(http.get(created.header("Location").substring(("http://localhost:" + port).length()), auth)
                .json().get("id").asString()).isEqualTo(id);
        assertThat(created.json().get("renditions")).hasSize(2);
        assertThat(created.json().get("sensitive").asBoolean()).isFalse();

        assertThat(http.get("/api/v1/streams/" + id, auth).json().get("externalId").asString()).isEqualTo("cup-final");
        assertThat(http.get("/api/v1/streams/by-external-id/cup-final", auth).json().get("id").asString())
                .isEqualTo(id);

        Response updated = http.put("/api/v1/streams/" + id, FINAL.replace("Cup final", "Cup final (replay)")
                .replace("\"kind\": \"LIVE\"", "\"kind\": \"VOD\", \"sensitive\": true"), auth);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("kind").asString()).isEqualTo("VOD");
        assertThat(updated.json().get("sensitive").asBoolean()).isTrue();

        assertThat(http.delete("/api/v1/streams/" + id, auth).json().get("archived").asBoolean()).isTrue();
        assertThat(http.get("/api/v1/streams", auth).json().get("totalItems").asLong()).isZero();
        assertThat(http.get("/api/v1/streams?archived=true", auth).json().get("totalItems").asLong()).isEqualTo(1);
        assertThat(http.post("/api/v1/streams/" + id + "/restore", "", auth).json().get("archived").asBoolean())
                .isFalse();
        assertThat(jdbc.queryForList("select type from audit_events where tenant_id = ? and type like 'STREAM_%' "
                + "order by id", String.class, tenant.id())).containsExactly("STREAM_CREATED", "STREAM_UPDATED",
                        "STREAM_ARCHIVED", "STREAM_RESTORED");
    }

    @Test
    void listsByNameWithSearchAndPaging() {
        for (int i = 0; i < 7; i++) {
            http.post("/api/v1/streams", """
                    {"externalId": "match-%d", "name": "Match %d", "kind": "LIVE"}""".formatted(i, i), auth);
        }
        http.post("/api/v1/streams", """
                {"externalId": "doc-1", "name": "Documentary", "kind": "VOD"}""", auth);

        Response page = http.get("/api/v1/streams?size=3&page=1", auth);
        Response search = http.get("/api/v1/streams?q=DOC", auth);
        Response byExternalId = http.get("/api/v1/streams?q=match-6", auth);

        assertThat(page.json().get("totalItems").asLong()).isEqualTo(8);
        assertThat(page.json().get("items")).extracting(item -> item.get("name").asString())
                .containsExactly("Match 2", "Match 3", "Match 4");
        assertThat(search.json().get("items")).singleElement()
                .satisfies(item -> assertThat(item.get("externalId").asString()).isEqualTo("doc-1"));
        assertThat(byExternalId.json().get("items")).hasSize(1);
    }

    @Test
    void aCursorReadsOnAfterTheLastStreamSeenWhateverIsAddedMeanwhileAndLinkCarriesIt() {
        for (String name : List.of("Alpha", "Bravo", "Charlie", "Delta", "Echo")) {
            http.post("/api/v1/streams", """
                    {"externalId": "%s", "name": "%s", "kind": "LIVE"}""".formatted(name.toLowerCase(), name), auth);
        }
        Response first = http.get("/api/v1/streams?size=2", auth);
        assertThat(first.json().get("items").valueStream().map(item -> item.get("name").asString()))
                .containsExactly("Alpha", "Bravo");
        String next = first.json().get("nextCursor").asString();
        assertThat(first.header("Link")).isEqualTo("<http://localhost:" + port + "/api/v1/streams?size=2&cursor="
                + next + ">; rel=\"next\"");

        // A stream that sorts before the cursor arrives meanwhile: an offset would shift, the cursor does not.
        http.post("/api/v1/streams", """
                {"externalId": "aardvark", "name": "Aardvark", "kind": "LIVE"}""", auth);
        Response second = http.get(first.header("Link").substring(first.header("Link").indexOf("/api/"),
                first.header("Link").indexOf('>')), auth);
        assertThat(second.json().get("items").valueStream().map(item -> item.get("name").asString()))
                .containsExactly("Charlie", "Delta");
        Response last = http.get("/api/v1/streams?size=2&cursor=" + second.json().get("nextCursor").asString(), auth);
        assertThat(last.json().get("items").valueStream().map(item -> item.get("name").asString()))
                .containsExactly("Echo");
        assertThat(last.json().get("nextCursor").isNull()).isTrue();
        assertThat(last.header("Link")).isNull();

        Response forged = http.get("/api/v1/streams?cursor=not-ours", auth);
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.json().get("errors").get(0).get("field").asString()).isEqualTo("cursor");
    }

    @Test
    void badInputIsRefusedNamingEachFieldAndChangesNothing() {
        Map<String, String> cases = Map.of(
                "{\"externalId\": \"bad id!\", \"name\": \"x\", \"kind\": \"LIVE\"}", "externalId",
                "{\"externalId\": \"ok\", \"name\": \"\", \"kind\": \"LIVE\"}", "name",
                "{\"externalId\": \"ok\", \"name\": \"x\"}", "kind",
                "{\"externalId\": \"ok\", \"name\": \"x\", \"kind\": \"RADIO\"}", "kind",
                "{\"externalId\": \"ok\", \"name\": \"x\", \"kind\": \"LIVE\", \"renditions\": [{\"id\": \"a b\"}]}",
                "renditions[0].id",
                "{\"externalId\": \"ok\", \"name\": \"x\", \"kind\": \"LIVE\", \"manifestUrl\": \"ftp://x\"}",
                "manifestUrl",
                "{\"externalId\": \"ok\", \"name\": \"x\", \"kind\": \"LIVE\", \"colour\": \"red\"}", "colour",
                "{\"externalId\": \"ok\", \"name\": 5, \"kind\": \"LIVE\", \"sensitive\": \"maybe\"}", "sensitive");

        cases.forEach((body, field) -> {
            Response response = http.post("/api/v1/streams", body, auth);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json().get("errors")).as(body)
                    .anySatisfy(error -> assertThat(error.get("field").asString()).isEqualTo(field));
        });
        // A value of the wrong kind says what it takes: an enum its values, an instant its zone, an id its shape.
        assertThat(http.post("/api/v1/streams", "{\"externalId\": \"ok\", \"name\": \"x\", \"kind\": \"RADIO\"}",
                auth).json().get("errors").get(0).get("message").asString()).isEqualTo("must be one of LIVE, VOD");
        assertThat(http.get("/api/v1/audit-events?from=2026-12-12T19:00:00", auth).json().get("errors").get(0)
                .get("message").asString()).contains("without Z or an offset names no instant");
        assertThat(http.get("/api/v1/streams/not-an-id", auth).json().get("errors").get(0).get("message")
                .asString()).startsWith("must be a UUID");
        assertThat(http.get("/api/v1/streams?size=many", auth).json().get("errors").get(0).get("message")
                .asString()).isEqualTo("must be a whole number");
        Response malformed = http.post("/api/v1/streams", "{\"externalId\": ", auth);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("type").asString()).isEqualTo("urn:meshcp:problem:malformed-request");

        http.post("/api/v1/streams", FINAL, auth);
        Response duplicate = http.post("/api/v1/streams", FINAL, auth);
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.json().get("errors").get(0).get("field").asString()).isEqualTo("externalId");
        assertThat(jdbc.queryForObject("select count(*) from streams where tenant_id = ?", Integer.class,
                tenant.id())).isEqualTo(1);
    }

    @Test
    void anotherTenantsStreamsAreNotFoundAndUnchanged() {
        Fixtures.Tenant other = fixtures.tenant();
        String[] otherAuth = bearer(fixtures.secretKey(other.id()).key());
        String theirs = http.post("/api/v1/streams", FINAL, otherAuth).json().get("id").asString();

        assertThat(http.get("/api/v1/streams/" + theirs, auth).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/streams/by-external-id/cup-final", auth).status()).isEqualTo(404);
        assertThat(http.put("/api/v1/streams/" + theirs, FINAL.replace("Cup final", "Hijacked"), auth).status())
                .isEqualTo(404);
        assertThat(http.delete("/api/v1/streams/" + theirs, auth).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/streams", auth).json().get("totalItems").asLong()).isZero();

        Response unchanged = http.get("/api/v1/streams/" + theirs, otherAuth);
        assertThat(unchanged.json().get("name").asString()).isEqualTo("Cup final");
        assertThat(unchanged.json().get("archived").asBoolean()).isFalse();
    }
}
