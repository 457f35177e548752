package io.meshcp.shared.http;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/** The host names this control plane answers players under ({@code meshcp.http.public-hosts}). */
@Component
public class PublicHosts {

    private final Set<String> hosts;

    PublicHosts(HttpProperties properties) {
        this.hosts = properties.publicHosts().stream().map(PublicHosts::normalised).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether URLs for players may be built from {@code host}, a request's host name (no port). */
    public boolean allows(String host) {
        return host != null && hosts.contains(normalised(host));
    }

    /** IPv6 literals with or without brackets, any case. */
    private static String normalised(String host) {
        String lower = host.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("[") && lower.endsWith("]") ? lower.substring(1, lower.length() - 1) : lower;
    }
}
