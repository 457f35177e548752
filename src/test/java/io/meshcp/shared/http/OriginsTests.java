package io.meshcp.shared.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.meshcp.shared.problems.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OriginsTests {

    @Test
    void normalisesCaseTrailingSlashesAndDuplicates() {
        assertThat(Origins.normalise("origins", List.of(" HTTPS://Player.Example.com/ ", "https://player.example.com",
                "", "http://localhost:8080", "https://*.cdn.example.com")))
                .containsExactly("https://player.example.com", "http://localhost:8080", "https://*.cdn.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "ftp://example.com", "https://example.com/path", "https://*",
            "https://ex*ample.com", "https://example.com:99999x", "javascript:alert(1)", "https://a.*.example.com"})
    void refusesWhatIsNotAnOriginNamingTheField(String origin) {
        assertThatThrownBy(() -> Origins.normalise("allowedOrigins", List.of(origin)))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("allowedOrigins"));
    }

    @Test
    void exactOriginsMatchOnlyThemselves() {
        List<String> allowed = List.of("https://player.example.com");

        assertThat(Origins.allows(allowed, "https://player.example.com")).isTrue();
        assertThat(Origins.allows(allowed, "https://PLAYER.example.com")).isTrue();
        assertThat(Origins.allows(allowed, "http://player.example.com")).isFalse();
        assertThat(Origins.allows(allowed, "https://player.example.com:8443")).isFalse();
        assertThat(Origins.allows(allowed, "https://player.example.com.evil.net")).isFalse();
        assertThat(Origins.allows(allowed, null)).isFalse();
    }

    @Test
    void wildcardsMatchSubdomainsButNotTheBareDomainOrLookalikes() {
        List<String> allowed = List.of("https://*.example.com");

        assertThat(Origins.allows(allowed, "https://www.example.com")).isTrue();
        assertThat(Origins.allows(allowed, "https://a.b.example.com")).isTrue();
        assertThat(Origins.allows(allowed, "https://example.com")).isFalse();
        assertThat(Origins.allows(allowed, "https://evilexample.com")).isFalse();
        assertThat(Origins.allows(allowed, "http://www.example.com")).isFalse();
        assertThat(Origins.allows(allowed, "https://www.example.com:444")).isFalse();
    }

    @Test
    void splitsCommaAndLineSeparatedLists() {
        assertThat(Origins.split("https://a.com, https://b.com\nhttps://c.com")).containsExactly("https://a.com",
                "https://b.com", "https://c.com");
        assertThat(Origins.split("  ")).isEmpty();
    }
}
