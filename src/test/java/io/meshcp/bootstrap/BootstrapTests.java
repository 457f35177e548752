package io.meshcp.bootstrap;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.meshcp.MeshControlPlaneApplication;
import io.meshcp.accounts.Accounts;
import io.meshcp.accounts.TenantView;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.VerifiedKey;
import io.meshcp.shared.Tokens;
import io.meshcp.support.Http;
import io.meshcp.support.TestDatabase;
import io.meshcp.support.TestDatabaseConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "meshcp.embedded-postgres.enabled=false")
@Import(TestDatabaseConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class BootstrapTests {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    static final String TENANT = "Bootstrap " + RUN;

    static final String OWNER = "bootstrap-" + RUN + "@example.com";

    static final String SECRET = "mesh_sk_" + Tokens.random(40);

    static final String PUBLISHABLE = "mesh_pk_" + Tokens.random(40);

    @DynamicPropertySource
    static void bootstrap(DynamicPropertyRegistry registry) {
        registry.add("meshcp.bootstrap.tenant-name", () -> TENANT);
        registry.add("meshcp.bootstrap.owner-email", () -> OWNER);
        registry.add("meshcp.bootstrap.owner-password", () -> "bootstrap owner passphrase");
        registry.add("meshcp.bootstrap.secret-key", () -> SECRET);
        registry.add("meshcp.bootstrap.publishable-key", () -> PUBLISHABLE);
        registry.add("meshcp.bootstrap.allowed-origins", () -> "https://player.example.com, https://*.example.org");
    }

    @LocalServerPort
    int port;

    @Autowired
    Accounts accounts;

    @Autowired
    ApiKeys apiKeys;

    @Autowired
    UserDetailsService users;

    @Autowired
    PasswordEncoder passwordEncoder;

    @Autowired
    Bootstrap bootstrap;

    JdbcTemplate jdbc = TestDatabase.owner();

    /** The application's connection, on which the bootstrap's lock is held within its transaction. */
    @Autowired
    JdbcTemplate application;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void createsTheTenantOwnerAndKeysFromTheEnvironment() {
        TenantView tenant = accounts.findTenantByName(TENANT).orElseThrow();

        assertThat(tenant.defaultAllowedOrigins()).containsExactly("https://player.example.com",
                "https://*.example.org");
        assertThat(passwordEncoder.matches("bootstrap owner passphrase",
                users.loadUserByUsername(OWNER).getPassword())).isTrue();
        Http.Response response = new Http(port).get("/api/v1/tenant", bearer(SECRET));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("name").asString()).isEqualTo(TENANT);
        assertThat(apiKeys.verify(PUBLISHABLE)).get().satisfies(key -> {
            assertThat(key.kind()).isEqualTo(KeyKind.PUBLISHABLE);
            assertThat(key.allowedOrigins()).containsExactly("https://player.example.com", "https://*.example.org");
        });
        assertThat(jdbc.queryForObject("select count(*) from api_keys where key_hash in (?, ?)", Integer.class,
                Tokens.sha256(SECRET), Tokens.sha256(PUBLISHABLE))).isEqualTo(2);
    }

    @Test
    void isAppliedOnlyOnce() throws Exception {
        UUID tenantId = accounts.findTenantByName(TENANT).orElseThrow().id();
        int keysBefore = keyCount(tenantId);

        bootstrap.run(null);

        assertThat(keyCount(tenantId)).isEqualTo(keysBefore);
        assertThat(jdbc.queryForObject("select count(*) from tenants where lower(name) = lower(?)", Integer.class,
                TENANT)).isEqualTo(1);
    }

    @Test
    void replicasStartingTogetherCreateTheTenantOnce() throws Exception {
        String name = "Concurrent bootstrap " + RUN;
        BootstrapProperties properties = new BootstrapProperties(name, "concurrent-" + RUN + "@example.com",
                "concurrent owner passphrase", null, null, "https://player.example.com");
        CyclicBarrier start = new CyclicBarrier(3);
        try (ExecutorService replicas = Executors.newFixedThreadPool(3)) {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Bootstrap replica = new Bootstrap(properties, accounts, apiKeys, application, transactionManager);
                runs.add(replicas.submit(() -> {
                    start.await();
                    replica.run(null);
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        }

        assertThat(jdbc.queryForObject("select count(*) from tenants where name = ?", Integer.class, name))
                .isEqualTo(1);
        assertThat(keyCount(accounts.findTenantByName(name).orElseThrow().id())).isEqualTo(2);
    }

    /** The log redacts keys and secrets, but these it must show: the operator can read them nowhere else. */
    @Test
    void generatedSecretsAreLoggedInFullOnce(CapturedOutput output) {
        String tenant = "Generated bootstrap " + RUN;
        String owner = "generated-" + RUN + "@example.com";
        new Bootstrap(new BootstrapProperties(tenant, owner, null, null, null, "https://player.example.com"),
                accounts, apiKeys, application, transactionManager).run(null);

        // Other tests of this class bootstrap tenants too: read what followed this one's creation.
        String created = "Bootstrap: created tenant '" + tenant + "'";
        assertThat(output.getOut()).contains(created);
        String log = output.getOut().substring(output.getOut().indexOf(created));
        assertThat(passwordEncoder.matches(shownOnce(log, "owner password"),
                users.loadUserByUsername(owner).getPassword())).isTrue();
        assertThat(apiKeys.verify(shownOnce(log, "secret key"))).get().extracting(VerifiedKey::kind)
                .isEqualTo(KeyKind.SECRET);
        assertThat(apiKeys.verify(shownOnce(log, "publishable key"))).get().extracting(VerifiedKey::kind)
                .isEqualTo(KeyKind.PUBLISHABLE);
    }

    @Test
    void aKeyOfTheWrongFormatStopsTheStartAndLeavesNothingBehind() {
        String name = "Broken bootstrap " + RUN;

        assertThatThrownBy(() -> new SpringApplicationBuilder(MeshControlPlaneApplication.class,
                TestDatabaseConfiguration.class)
                .properties("server.port=0", "meshcp.embedded-postgres.enabled=false",
                        "meshcp.bootstrap.tenant-name=" + name, "meshcp.bootstrap.owner-email=broken-" + RUN
                                + "@example.com",
                        "meshcp.bootstrap.secret-key=mesh_sk_tooshort")
                .run().close())
                .isInstanceOf(IllegalStateException.class).hasMessage("Bootstrap failed: MESHCP_BOOTSTRAP_SECRET_KEY "
                        + "must be mesh_sk_ followed by 32 to 128 characters of [A-Za-z0-9]");
        assertThat(accounts.findTenantByName(name)).isEmpty();
    }

    private static String shownOnce(String log, String what) {
        Matcher shown = Pattern.compile("Bootstrap: generated " + what + " \\(shown once\\): (\\w+)").matcher(log);
        assertThat(shown.find()).as(what + " in the log").isTrue();
        return shown.group(1);
    }

    private int keyCount(UUID tenantId) {
        return jdbc.queryForObject("select count(*) from api_keys where tenant_id = ?", Integer.class, tenantId);
    }
}
