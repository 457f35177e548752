package io.meshcp.webhooks;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meshcp.accounts.Accounts;
import io.meshcp.accounts.Role;
import io.meshcp.accounts.SignUp;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.caller.Actor;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.Replicas;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks end to end, on nodes of their own (the only ones in the test JVM that send deliveries), to a receiver on
 * this machine that they are allowed to reach, and to an "internal service" they are not.
 */
class WebhooksTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What a receiver got. */
    record Received(String path, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().getFirst()).findFirst().orElse(null);
        }

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    /** A small HTTP server: records each request, and answers by path as a test scripts it (200 otherwise). */
    static final class Receiver implements AutoCloseable {

        final HttpServer server;

        final List<Received> received = new CopyOnWriteArrayList<>();

        final Map<String, Function<Integer, Answer>> script = new ConcurrentHashMap<>();

        record Answer(int status, String location, String body, CountDownLatch hold) {

            static Answer of(int status) {
                return new Answer(status, null, "ok", null);
            }
        }

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", this::handle);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        String url(String path) {
            return "http://127.0.0.1:" + port() + path;
        }

        List<Received> at(String path) {
            return received.stream().filter(request -> request.path().equals(path)).toList();
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body));
            int nth = (int) received.stream().filter(request -> request.path().equals(path)).count();
            Answer answer = script.getOrDefault(path, n -> Answer.of(200)).apply(nth);
            if (answer.hold() != null) {
                try {
                    answer.hold().await();
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (answer.location() != null) {
                exchange.getResponseHeaders().add("Location", answer.location());
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            catch (IOException e) {
                // the sender gave up (a timeout test)
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static Receiver receiver;

    /** A service on this machine that webhooks must never reach. */
    static Receiver internal;

    static ConfigurableApplicationContext node;

    Http http;

    UUID tenantId;

    String[] admin;

    @BeforeAll
    static void start() throws IOException {
        receiver = new Receiver();
        internal = new Receiver();
        node = startNode();
    }

    static ConfigurableApplicationContext startNode() {
        return Replicas.startWithoutRedis("--meshcp.webhooks.send-deliveries=true",
                "--meshcp.webhooks.allowed-private-addresses=127.0.0.1:" + receiver.port(),
                "--meshcp.webhooks.poll-interval=100ms", "--meshcp.webhooks.live-event-poll-interval=300ms",
                "--meshcp.webhooks.first-retry=200ms", "--meshcp.webhooks.retry-for=4s",
                "--meshcp.webhooks.disable-after=5s", "--meshcp.webhooks.connect-timeout=1s",
                "--meshcp.webhooks.timeout=2s");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        receiver.close();
        internal.close();
    }

    @BeforeEach
    void organisation() {
        http = new Http(Replicas.httpPort(node));
        String id = UUID.randomUUID().toString().substring(0, 8);
        tenantId = node.getBean(Accounts.class).signUp(new SignUp("Org " + id, "Owner " + id, "owner-" + id
                + "@example.com", Fixtures.PASSWORD), Actor.SYSTEM).id();
        admin = bearer(key(tenantId, Role.ADMIN));
    }

    // --- what is told, and how it is signed

    @Test
    void aKillSwitchIsToldSignedToTheEndpointThatWantsItAndNothingElseIs() throws Exception {
        String path = "/hooks/" + UUID.randomUUID();
        Http.Response created = http.post("/api/v1/webhooks", """
                {"url": "%s", "description": "ops pager", "events": ["kill_switch.engaged", "kill_switch.released"]}
                """.formatted(receiver.url(path)), admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.raw().headers().firstValue("Cache-Control")).hasValue("no-store");
        String secret = created.json().get("secret").asString();
        assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
        String endpointId = created.json().get("endpoint").get("id").asString();
        assertThat(created.raw().headers().firstValue("Location").orElseThrow()).endsWith("/api/v1/webhooks/"
                + endpointId);
        assertThat(http.get("/api/v1/webhooks/" + endpointId, admin).body()).doesNotContain(secret);

        // Not wanted: a policy change, made first.
        String etag = http.get("/api/v1/policy", admin).raw().headers().firstValue("ETag").orElseThrow();
        Http.Response changed = http.put("/api/v1/policy", """
                {"latencyBudgetMs": 9000}""", Http.with(admin, "If-Match", etag));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        Instant before = Instant.now();
        assertThat(http.put("/api/v1/kill-switch", """
                {"reason": "CDN incident"}""", admin).status()).isEqualTo(204);
        assertThat(http.delete("/api/v1/kill-switch", admin).status()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at(path).size() >= 2);
        // Deliveries are sent side by side, so they may arrive in any order: occurredAt orders them.
        Received engaged = received(path, "kill_switch.engaged");
        Received released = received(path, "kill_switch.released");
        JsonNode body = engaged.json();
        assertThat(body.get("type").asString()).isEqualTo("kill_switch.engaged");
        assertThat(body.get("organisationId").asString()).isEqualTo(tenantId.toString());
        assertThat(body.get("data").get("reason").asString()).isEqualTo("CDN incident");
        assertThat(body.get("data").get("actor").asString()).isNotBlank();
        assertThat(engaged.header("Meshcp-Event-Id")).isEqualTo(body.get("id").asString());
        assertThat(engaged.header("Meshcp-Event-Type")).isEqualTo("kill_switch.engaged");
        assertThat(engaged.header("Content-Type")).startsWith("application/json");
        assertThat(released.json().get("type").asString()).isEqualTo("kill_switch.released");

        // The signature, checked as docs/webhooks.md tells a receiver to.
        Map<String, List<String>> signature = parseSignature(engaged.header("Meshcp-Signature"));
        long t = Long.parseLong(signature.get("t").getFirst());
        assertThat(Instant.ofEpochSecond(t)).isBetween(before.minusSeconds(5), Instant.now().plusSeconds(5));
        assertThat(signature.get("v1")).hasSize(1);
        assertThat(verifies(secret, t, engaged.body(), signature.get("v1").getFirst())).isTrue();
        assertThat(verifies(secret, t, engaged.body() + " ", signature.get("v1").getFirst()))
                .as("a changed body does not verify").isFalse();
        assertThat(verifies("whsec_another", t, engaged.body(), signature.get("v1").getFirst())).isFalse();

        await().atMost(Duration.ofSeconds(5)).until(() -> deliveries(endpointId).size() == 2
                && deliveries(endpointId).stream().allMatch(d -> d.get("state").asString().equals("DELIVERED")));
        assertThat(Instant.parse(released.json().get("occurredAt").asString()))
                .isAfter(Instant.parse(engaged.json().get("occurredAt").asString()));
        for (JsonNode delivery : deliveries(endpointId)) {
            assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
            assertThat(delivery.get("lastStatus").asInt()).isEqualTo(200);
            assertThat(delivery.get("lastResponse").asString()).isEqualTo("ok");
        }
        assertThat(deliveries(endpointId).stream().map(d -> d.get("eventType").asString()))
                .containsExactlyInAnyOrder("kill_switch.engaged", "kill_switch.released");
        assertThat(receiver.at(path)).as("no policy.changed, which it did not ask for").hasSize(2);
    }

    @Test
    void aRotatedSecretSignsBesideTheOldOneForTheOverlapOnly() throws Exception {
        String path = "/hooks/" + UUID.randomUUID();
        JsonNode created = create(receiver.url(path), "api_key.created").json();
        String first = created.get("secret").asString();
        String id = created.get("endpoint").get("id").asString();

        Http.Response rotated = http.post("/api/v1/webhooks/" + id + "/rotate-secret", """
                {"overlapHours": 24}""", admin);
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        assertThat(rotated.raw().headers().firstValue("Cache-Control")).hasValue("no-store");
        String second = rotated.json().get("secret").asString();
        assertThat(second).isNotEqualTo(first);
        assertThat(rotated.json().get("endpoint").get("previousSecretUntil").asString()).isNotBlank();

        assertThat(http.post("/api/v1/webhooks/" + id + "/test", "", admin).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at(path).size() == 1);
        Received during = receiver.at(path).getFirst();
        assertThat(during.json().get("type").asString()).isEqualTo("ping");
        Map<String, List<String>> both = parseSignature(during.header("Meshcp-Signature"));
        long t = Long.parseLong(both.get("t").getFirst());
        assertThat(both.get("v1")).hasSize(2);
        assertThat(both.get("v1").stream().filter(v1 -> verifies(second, t, during.body(), v1))).hasSize(1);
        assertThat(both.get("v1").stream().filter(v1 -> verifies(first, t, during.body(), v1))).hasSize(1);

        // A rotation without overlap: the old secrets sign nothing any more.
        String third = http.post("/api/v1/webhooks/" + id + "/rotate-secret", """
                {"overlapHours": 0}""", admin).json().get("secret").asString();
        assertThat(http.post("/api/v1/webhooks/" + id + "/test", "", admin).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at(path).size() == 2);
        Received after = receiver.at(path).get(1);
        Map<String, List<String>> one = parseSignature(after.header("Meshcp-Signature"));
        long t2 = Long.parseLong(one.get("t").getFirst());
        assertThat(one.get("v1")).hasSize(1);
        assertThat(verifies(third, t2, after.body(), one.get("v1").getFirst())).isTrue();
        assertThat(verifies(second, t2, after.body(), one.get("v1").getFirst())).isFalse();

        assertThat(http.post("/api/v1/webhooks/" + id + "/rotate-secret", """
                {"overlapHours": 169}""", admin).status()).isEqualTo(400);
    }

    @Test
    void liveEventsThatStartAndEndAreToldOnceEach() {
        String path = "/hooks/" + UUID.randomUUID();
        create(receiver.url(path), "live_event.started", "live_event.ended");
        String stream = http.post("/api/v1/streams", """
                {"externalId": "final-%s", "name": "Final", "kind": "LIVE"}""".formatted(UUID.randomUUID()), admin)
                .json().get("id").asString();
        Instant startsAt = Instant.now().plusSeconds(2);
        Http.Response event = http.post("/api/v1/live-events", """
                {"streamId": "%s", "name": "Cup final", "startsAt": "%s", "endsAt": "%s",
                 "overrides": {"latencyBudgetMs": 8000}}""".formatted(stream,
                startsAt, startsAt.plusSeconds(2)), admin);
        assertThat(event.status()).as(event.body()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at(path).size() >= 2);
        List<String> types = receiver.at(path).stream().map(r -> r.json().get("type").asString()).toList();
        assertThat(types).containsExactly("live_event.started", "live_event.ended");
        JsonNode data = receiver.at(path).getFirst().json().get("data");
        assertThat(data.get("liveEventId").asString()).isEqualTo(event.json().get("id").asString());
        assertThat(data.get("name").asString()).isEqualTo("Cup final");
        // Every scan since has seen the start again; it was told once.
        assertThat(jdbc().queryForObject("select count(*) from webhook_events where tenant_id = ? and type = "
                + "'live_event.started'", Integer.class, tenantId)).isEqualTo(1);
    }

    // --- retries, giving up, disabling, a restart

    @Test
    void aFailingReceiverIsTriedAgainWithTheSameEventUntilItAnswers() {
        String path = "/hooks/" + UUID.randomUUID();
        receiver.script.put(path, nth -> Receiver.Answer.of(nth == 1 ? 500 : nth == 2 ? 503 : 200));
        String id = create(receiver.url(path), "api_key.created").json().get("endpoint").get("id").asString();
        assertThat(http.post("/api/v1/webhooks/" + id + "/test", "", admin).status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(id).getFirst().get("state").asString()
                .equals("DELIVERED"));
        JsonNode delivery = deliveries(id).getFirst();
        assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
        List<Received> tries = receiver.at(path);
        assertThat(tries).hasSize(3);
        assertThat(tries.stream().map(r -> r.header("Meshcp-Event-Id")).distinct()).hasSize(1);
        assertThat(tries.stream().map(r -> r.header("Meshcp-Delivery-Attempt"))).containsExactly("1", "2", "3");
        assertThat(http.get("/api/v1/webhooks/" + id, admin).json().get("failingSince").isNull())
                .as("a success ends the failures").isTrue();
    }

    @Test
    void aDeliveryIsGivenUpAfterItsRetryTimeAndAnEndpointThatKeepsFailingIsDisabled() {
        String path = "/hooks/" + UUID.randomUUID();
        receiver.script.put(path, nth -> new Receiver.Answer(500, null, "x".repeat(100_000), null));
        String id = create(receiver.url(path), "api_key.created").json().get("endpoint").get("id").asString();
        http.post("/api/v1/webhooks/" + id + "/test", "", admin);
        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries(id).getFirst().get("state").asString()
                .equals("FAILED"));
        JsonNode failed = deliveries(id).getFirst();
        assertThat(failed.get("attempts").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(failed.get("lastStatus").asInt()).isEqualTo(500);
        assertThat(failed.get("lastResponse").asString()).as("the start of a long answer").hasSize(1024);

        // Still failing a while later (disable-after): the endpoint stops, and says why.
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            if (deliveries(id).stream().noneMatch(d -> d.get("state").asString().equals("PENDING"))) {
                http.post("/api/v1/webhooks/" + id + "/test", "", admin);
            }
            return !http.get("/api/v1/webhooks/" + id, admin).json().get("enabled").asBoolean();
        });
        JsonNode endpoint = http.get("/api/v1/webhooks/" + id, admin).json();
        assertThat(endpoint.get("disabledReason").asString()).contains("HTTP 500");
        assertThat(http.get("/api/v1/audit-events?type=WEBHOOK_DISABLED", admin).body()).contains(id);
        assertThat(http.post("/api/v1/webhooks/" + id + "/test", "", admin).status())
                .as("a disabled endpoint is sent nothing").isEqualTo(409);

        // Enabled again by a person: its count of failures starts afresh.
        receiver.script.put(path, nth -> Receiver.Answer.of(200));
        Http.Response enabled = http.put("/api/v1/webhooks/" + id, """
                {"url": "%s", "events": ["api_key.created"], "enabled": true}""".formatted(receiver.url(path)), admin);
        assertThat(enabled.json().get("enabled").asBoolean()).isTrue();
        assertThat(enabled.json().get("disabledReason").isNull()).isTrue();
        long redeliver = failed.get("id").asLong();
        Http.Response again = http.post("/api/v1/webhooks/" + id + "/deliveries/" + redeliver + "/redeliver", "",
                admin);
        assertThat(again.status()).as(again.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(id).getFirst().get("state").asString()
                .equals("DELIVERED"));
        assertThat(deliveries(id).getFirst().get("eventId").asString()).isEqualTo(failed.get("eventId").asString());
    }

    @Test
    void aDeliveryUnderWayWhenItsNodeStopsIsSentByTheNextNodeAtOnce() {
        String path = "/hooks/" + UUID.randomUUID();
        CountDownLatch held = new CountDownLatch(1);
        // The first attempt gets no answer until the node that sent it has stopped.
        receiver.script.put(path, nth -> nth == 1 ? new Receiver.Answer(200, null, "late", held)
                : Receiver.Answer.of(200));
        String id = create(receiver.url(path), "api_key.created").json().get("endpoint").get("id").asString();
        http.post("/api/v1/webhooks/" + id + "/test", "", admin);
        await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.at(path).isEmpty());
        try {
            node.close();
            node = null;
        }
        finally {
            held.countDown();
        }
        // A row, not a thing in the stopped node's memory; due again at once (its claim given back, or its attempt
        // timed out while the node stopped), not when the node's claim would have lapsed.
        assertThat(jdbc().queryForObject("select state = 'PENDING' and next_attempt_at <= now() + interval '1 second' "
                + "from webhook_deliveries where endpoint_id = ?", Boolean.class, UUID.fromString(id))).isTrue();

        node = startNode();
        http = new Http(Replicas.httpPort(node));
        // Well within the claim a node takes (twice the 2 s timeout plus 30 s), which would otherwise hold it.
        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries(id).getFirst().get("state").asString()
                .equals("DELIVERED"));
        assertThat(receiver.at(path)).hasSize(2);
        assertThat(receiver.at(path).stream().map(r -> r.header("Meshcp-Event-Id")).distinct()).hasSize(1);
    }

    // --- where deliveries may go

    @Test
    void receiversOutsideThePublicInternetAreRefusedWhenTheEndpointIsSaved() {
        for (String url : List.of("https://127.0.0.2/hook", "https://10.0.0.1/hook", "https://192.168.1.20/hook",
                "http://169.254.169.254/latest/meta-data/", "https://[::1]/hook", "https://[::ffff:127.0.0.1]/hook",
                "https://[fd00::1]/hook", "https://100.64.0.1/hook", "https://0.0.0.0/hook",
                "https://localhost:" + internal.port() + "/hook", "http://127.0.0.1:" + internal.port() + "/hook")) {
            Http.Response refused = http.post("/api/v1/webhooks", """
                    {"url": "%s", "events": ["api_key.created"]}""".formatted(url), admin);
            assertThat(refused.status()).as(url + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.body()).as(url).contains("url");
        }
        for (String url : List.of("ftp://example.com/hook", "http://example.invalid/hook", "not a url",
                "https://user:secret@example.invalid/hook", "https:///hook")) {
            assertThat(http.post("/api/v1/webhooks", """
                    {"url": "%s", "events": ["api_key.created"]}""".formatted(url), admin).status()).as(url)
                    .isEqualTo(400);
        }
        assertThat(http.get("/api/v1/webhooks", admin).json().size()).as("nothing was saved").isZero();
        assertThat(internal.received).isEmpty();
    }

    @Test
    void aNameThatResolvesToLoopbackAtDeliveryTimeAndARedirectToAPrivateAddressAreRefused() {
        // A name that resolved to a public address when it was saved and resolves to loopback now (DNS rebinding):
        // written as it would have been saved, since this machine's DNS cannot be changed by a test.
        UUID rebinding = insertEndpoint("http://localhost:" + internal.port() + "/admin");
        String redirectPath = "/hooks/" + UUID.randomUUID();
        receiver.script.put(redirectPath, nth -> new Receiver.Answer(307, "http://127.0.0.1:" + internal.port()
                + "/admin", "", null));
        String redirecting = create(receiver.url(redirectPath), "api_key.created").json().get("endpoint").get("id")
                .asString();
        String followedPath = "/hooks/" + UUID.randomUUID();
        receiver.script.put(followedPath, nth -> new Receiver.Answer(308, followedPath + "/moved", "", null));
        String followed = create(receiver.url(followedPath), "api_key.created").json().get("endpoint").get("id")
                .asString();

        // One event for all three.
        node.getBean(ApiKeys.class).create(tenantId, new NewKey(KeyKind.PUBLISHABLE, "web", List.of(), null),
                Actor.SYSTEM);

        await().atMost(Duration.ofSeconds(10)).until(() -> !deliveries(rebinding.toString()).isEmpty()
                && deliveries(rebinding.toString()).getFirst().get("attempts").asInt() >= 1
                && !deliveries(redirecting).isEmpty() && deliveries(redirecting).getFirst().get("attempts").asInt() >= 1
                && !deliveries(followed).isEmpty()
                && deliveries(followed).getFirst().get("state").asString().equals("DELIVERED"));
        assertThat(deliveries(rebinding.toString()).getFirst().get("lastError").asString())
                .contains("refused").contains("127.0.0.1 is not a public address");
        assertThat(deliveries(redirecting).getFirst().get("lastError").asString()).contains("refused");
        assertThat(deliveries(redirecting).getFirst().get("state").asString()).isNotEqualTo("DELIVERED");
        assertThat(internal.received).as("the internal service heard nothing").isEmpty();
        assertThat(receiver.at(followedPath + "/moved")).as("a redirect to an allowed address is followed")
                .hasSize(1);
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsAFailureNotAStuckSender() {
        String path = "/hooks/" + UUID.randomUUID();
        CountDownLatch never = new CountDownLatch(1);
        receiver.script.put(path, nth -> new Receiver.Answer(200, null, "late", never));
        try {
            String id = create(receiver.url(path), "api_key.created").json().get("endpoint").get("id").asString();
            http.post("/api/v1/webhooks/" + id + "/test", "", admin);
            await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(id).getFirst().get("lastError").isString());
            assertThat(deliveries(id).getFirst().get("lastError").asString()).contains("no answer within 2 s");
            assertThat(deliveries(id).getFirst().get("state").asString()).isNotEqualTo("DELIVERED");
        }
        finally {
            never.countDown();
        }
    }

    // --- the API's refusals

    @Test
    void badInputOtherOrganisationsEndpointsAndLesserRolesAreRefusedAndChangeNothing() {
        String id = create(receiver.url("/hooks/" + UUID.randomUUID()), "api_key.revoked").json().get("endpoint")
                .get("id").asString();
        assertThat(http.post("/api/v1/webhooks", """
                {"url": "%s", "events": ["no.such_event"]}""".formatted(receiver.url("/x")), admin).body())
                .contains("kill_switch.engaged");
        assertThat(http.post("/api/v1/webhooks", """
                {"url": "%s", "events": ["ping"]}""".formatted(receiver.url("/x")), admin).status()).isEqualTo(400);
        assertThat(http.post("/api/v1/webhooks", """
                {"url": "%s", "events": []}""".formatted(receiver.url("/x")), admin).status()).isEqualTo(400);
        assertThat(http.post("/api/v1/webhooks", "{\"url\": ", admin).status()).isEqualTo(400);
        assertThat(http.post("/api/v1/webhooks", """
                {"url": 7, "events": "kill_switch.engaged"}""", admin).status()).isEqualTo(400);
        assertThat(http.put("/api/v1/webhooks/" + id, """
                {"url": "https://10.1.1.1/", "events": ["api_key.revoked"]}""", admin).status()).isEqualTo(400);
        assertThat(http.get("/api/v1/webhooks/" + id, admin).json().get("url").asString())
                .isEqualTo(receiver.url(http.get("/api/v1/webhooks/" + id, admin).json().get("url").asString()
                        .replaceFirst("^http://127.0.0.1:[0-9]+", "")));

        String[] ops = bearer(key(tenantId, Role.OPS));
        String[] viewer = bearer(key(tenantId, Role.VIEWER));
        assertThat(http.get("/api/v1/webhooks", ops).status()).isEqualTo(403);
        assertThat(http.get("/api/v1/webhooks/" + id, viewer).status()).isEqualTo(403);
        assertThat(http.post("/api/v1/webhooks", """
                {"url": "%s", "events": ["api_key.revoked"]}""".formatted(receiver.url("/x")), ops).status())
                .isEqualTo(403);

        UUID other = node.getBean(Accounts.class).signUp(new SignUp("Other " + UUID.randomUUID(), "Other",
                "other-" + UUID.randomUUID() + "@example.com", Fixtures.PASSWORD), Actor.SYSTEM).id();
        String[] otherAdmin = bearer(key(other, Role.ADMIN));
        for (Http.Response response : List.of(http.get("/api/v1/webhooks/" + id, otherAdmin),
                http.put("/api/v1/webhooks/" + id, """
                        {"url": "%s", "events": ["api_key.revoked"]}""".formatted(receiver.url("/y")), otherAdmin),
                http.delete("/api/v1/webhooks/" + id, otherAdmin),
                http.get("/api/v1/webhooks/" + id + "/deliveries", otherAdmin),
                http.post("/api/v1/webhooks/" + id + "/test", "", otherAdmin),
                http.post("/api/v1/webhooks/" + id + "/rotate-secret", "{}", otherAdmin),
                http.post("/api/v1/webhooks/" + id + "/deliveries/1/redeliver", "", otherAdmin))) {
            assertThat(response.status()).as(response.body()).isEqualTo(404);
        }
        assertThat(http.get("/api/v1/webhooks/" + UUID.randomUUID(), admin).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/webhooks/" + id + "/deliveries", admin).json().size()).as("no test was sent")
                .isZero();
        assertThat(http.get("/api/v1/webhooks/" + id, admin).json().get("enabled").asBoolean()).isTrue();

        assertThat(http.delete("/api/v1/webhooks/" + id, admin).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/webhooks/" + id, admin).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/audit-events?type=WEBHOOK_DELETED", admin).body()).contains(id);
        assertThat(http.get("/api/v1/webhooks/event-types", admin).body()).contains("live_event.started")
                .doesNotContain("\"ping\"");
    }

    // --- helpers

    private Http.Response create(String url, String... events) {
        String list = String.join("\", \"", events);
        Http.Response created = http.post("/api/v1/webhooks", """
                {"url": "%s", "events": ["%s"]}""".formatted(url, list), admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created;
    }

    private Received received(String path, String type) {
        return receiver.at(path).stream().filter(r -> r.json().get("type").asString().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " at " + path));
    }

    private List<JsonNode> deliveries(String endpointId) {
        Http.Response response = http.get("/api/v1/webhooks/" + endpointId + "/deliveries", admin);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<JsonNode> list = new ArrayList<>();
        response.json().forEach(list::add);
        return list;
    }

    private UUID insertEndpoint(String url) {
        UUID id = UUID.randomUUID();
        jdbc().update("insert into webhook_endpoints (id, tenant_id, url, event_types, secret, created_at, created_by) "
                + "values (?, ?, ?, '{api_key.created}', 'whsec_test', now(), 'test')", id, tenantId, url);
        return id;
    }

    private String key(UUID tenant, Role role) {
        return node.getBean(ApiKeys.class).create(tenant, new NewKey(KeyKind.SECRET, "admin", List.of(), null, role),
                Actor.SYSTEM).key();
    }

    /** The database's owner, which row-level security does not confine. */
    private static JdbcTemplate jdbc() {
        return TestDatabase.owner();
    }

    static Map<String, List<String>> parseSignature(String header) {
        Map<String, List<String>> parts = new java.util.HashMap<>();
        for (String part : header.split(",")) {
            String[] pair = part.split("=", 2);
            parts.computeIfAbsent(pair[0], k -> new ArrayList<>()).add(pair[1]);
        }
        return parts;
    }

    /** A receiver's check: HMAC-SHA256 of "t.body" under the secret, compared in constant time. */
    static boolean verifies(String secret, long t, String body, String v1) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1));
        }
        catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
