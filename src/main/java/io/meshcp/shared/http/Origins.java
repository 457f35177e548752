package io.meshcp.shared.http;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.meshcp.shared.problems.InvalidInputException;

/**
 * Allowed web origins of a publishable key: exact ({@code https://player.example.com:8443}) or every
 * subdomain of a domain ({@code https://*.example.com}, which does not match the bare domain).
 */
public final class Origins {

    private static final Pattern ORIGIN = Pattern.compile(
            "^https?://(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?$");

    private static final int MAX_ORIGINS = 100;

    private Origins() {
    }

    /** Lower-cases, trims and de-duplicates; refuses anything that is not an origin, naming {@code field}. */
    public static List<String> normalise(String field, List<String> origins) {
        if (origins == null) {
            return List.of();
        }
        LinkedHashSet<String> result = new LinkedHashSet<>();
        for (String origin : origins) {
            if (origin == null || origin.isBlank()) {
                continue;
            }
            String candidate = origin.strip().toLowerCase(Locale.ROOT);
            if (candidate.endsWith("/")) {
                candidate = candidate.substring(0, candidate.length() - 1);
            }
            if (!ORIGIN.matcher(candidate).matches()) {
                throw new InvalidInputException(field, "'" + origin.strip()
                        + "' is not an origin like https://example.com or https://*.example.com");
            }
            result.add(candidate);
        }
        if (result.size() > MAX_ORIGINS) {
            throw new InvalidInputException(field, "at most " + MAX_ORIGINS + " origins");
        }
        return new ArrayList<>(result);
    }

    /** Splits a comma- or newline-separated list as typed into a form or an environment variable. */
    public static List<String> split(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return List.of(text.split("[,\\s]+"));
    }

    /** Whether a request's {@code Origin} header is allowed by a normalised list. */
    public static boolean allows(List<String> allowed, String origin) {
        if (origin == null) {
            return false;
        }
        String candidate = origin.toLowerCase(Locale.ROOT);
        for (String pattern : allowed) {
            int wildcard = pattern.indexOf("://*.");
            if (wildcard < 0 ? pattern.equals(candidate) : matchesWildcard(pattern, wildcard, candidate)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a request's {@code Origin} is the origin the request itself was sent to: a page of this application
     * (its demo player). Browsers send the true host of what they connect to and no other site can send this
     * origin, so such a request is as safe to serve as one without an {@code Origin} (a native app).
     */
    public static boolean isOwn(String origin, String scheme, String host, int port) {
        if (origin == null || scheme == null || host == null) {
            return false;
        }
        boolean defaultPort = port <= 0 || ("http".equalsIgnoreCase(scheme) && port == 80)
                || ("https".equalsIgnoreCase(scheme) && port == 443);
        String own = scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + (defaultPort ? "" : ":" + port);
        return own.equalsIgnoreCase(origin);
    }

    private static boolean matchesWildcard(String pattern, int wildcard, String candidate) {
        String scheme = pattern.substring(0, wildcard + 3);
        String suffix = pattern.substring(wildcard + 4);
        if (!candidate.startsWith(scheme) || !candidate.endsWith(suffix)) {
            return false;
        }
        String label = candidate.substring(scheme.length(), candidate.length() - suffix.length());
        return !label.isEmpty() && !label.contains(":") && !label.contains("/");
    }
}
