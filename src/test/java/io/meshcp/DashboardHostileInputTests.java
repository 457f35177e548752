package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.meshcp.streams.Streams;
import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Dashboard forms sent as a browser sends them, over real HTTP, with text the database cannot store. */
@IntegrationTest
class DashboardHostileInputTests {

    static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    Streams streams;

    @Test
    void aNulInAFormFieldIsABadRequestPageNotAServerErrorAndChangesNothing() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        post(browser, "/login", "email=" + encode(tenant.ownerEmail()) + "&password=" + encode(Fixtures.PASSWORD),
                "/login");

        HttpResponse<String> created = post(browser, "/streams", "externalId=nul-stream&name=" + encode("Final\u0000")
                + "&kind=LIVE", "/streams");

        assertThat(created.statusCode()).isEqualTo(400);
        assertThat(created.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        assertThat(created.body()).contains("Nothing was changed").contains("cannot be stored");
        assertThat(streams.findByExternalId(tenant.id(), "nul-stream")).isEmpty();
    }

    /** Posts a form with the CSRF token of the page it is on, as a browser does. */
    private HttpResponse<String> post(HttpClient browser, String path, String form, String page) throws Exception {
        String html = browser.send(HttpRequest.newBuilder(URI.create(base() + page)).header("Accept", "text/html")
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = CSRF.matcher(html);
        assertThat(csrf.find()).as(page + " has a CSRF token").isTrue();
        return browser.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form + "&_csrf=" + encode(csrf.group(1)))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
