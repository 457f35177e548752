package io.meshcp.shared;

import java.util.regex.Pattern;

import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * What may reach the log: keys, signaling tokens, credentials in URLs and secret-looking parameters or JSON fields
 * cut to a recognisable prefix ({@link #redact}), line breaks and other control characters escaped so that no value
 * can start a forged log line ({@link #escape}). The log output applies both to every line whoever logs it
 * ({@code io.meshcp.shared.logging}); {@link #text} adds a length limit for what a client could have written
 * (messages of exceptions about a request, paths, parameters).
 */
public final class LogSafe {

    static final int MAX_LENGTH = 500;

    /**
     * Marks a line whose secret is meant for the log: a value generated at the first start that is stored only as a
     * hash, so the log is the operator's one chance to read it ({@code Bootstrap}). Such a line is still escaped but
     * not redacted. Only code attaches markers, so nothing a client sends can exempt a line.
     */
    public static final Marker SHOWN_ONCE = MarkerFactory.getMarker("SHOWN_ONCE");

    // These run on every log line, so each is linear: it starts at a literal or a short bounded run, and its
    // possessive quantifiers range over classes that exclude the character after them, so nothing backtracks. A line
    // that none matches (most) is not even copied.

    private static final Pattern API_KEY = Pattern.compile("(mesh_(?:sk|pk)_[A-Za-z0-9]{4})[A-Za-z0-9]++");

    /** A compact JWS, as signaling tokens are: base64url JSON header and payload (both begin {"), then the MAC. */
    private static final Pattern SIGNALING_TOKEN = Pattern.compile(
            "\\beyJ[A-Za-z0-9_-]++\\.eyJ[A-Za-z0-9_-]*+\\.[A-Za-z0-9_-]++");

    /** The password of {@code scheme://user:password@host}, as in a JDBC or Redis URL. */
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(://[^\\s/?#@:]*+:)[^\\s/?#@]++@");

    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s++)(?!mesh_)[A-Za-z0-9._~+/=-]++");

    /** Also the end of longer names: {@code access_token}, {@code apiKey}, {@code client_secret}. */
    private static final String SECRET_NAME = "(?i)(password|passwd|secret|token|key|authorization)";

    private static final Pattern SECRET_JSON_FIELD = Pattern.compile(
            SECRET_NAME + "(\"\\s*+:\\s*+\")(?!mesh_)[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+");

    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            SECRET_NAME + "(\\s*+[=:]\\s*+)((?:bearer|basic|digest)\\s++)?+(?!mesh_)[^&\\s,;\"']++");

    private LogSafe() {
    }

    /** A client-written value for a log line: {@link #redact redacted}, {@link #escape escaped} and cut. */
    public static String text(Object value) {
        String text = String.valueOf(value);
        if (text.length() > MAX_LENGTH * 4) {
            text = text.substring(0, MAX_LENGTH * 4);
        }
        String safe = escape(redact(text));
        return safe.length() > MAX_LENGTH ? safe.substring(0, MAX_LENGTH) + "…" : safe;
    }

    /** Keys, tokens and secrets cut to what identifies them; applying it twice changes nothing more. */
    public static String redact(String text) {
        text = API_KEY.matcher(text).replaceAll("$1…");
        text = SIGNALING_TOKEN.matcher(text).replaceAll("eyJ…");
        text = URL_CREDENTIALS.matcher(text).replaceAll("$1…@");
        text = BEARER.matcher(text).replaceAll("$1…");
        text = SECRET_JSON_FIELD.matcher(text).replaceAll("$1$2…");
        return SECRET_PARAMETER.matcher(text).replaceAll("$1$2$3…");
    }

    /**
     * The text on one line: C0 and C1 controls (line feed, carriage return, tab, next line...), DEL and the Unicode
     * line and paragraph separators become visible escapes, such as backslash-n for a line feed.
     */
    public static String escape(String text) {
        int first = 0;
        while (first < text.length() && !isControl(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (isControl(c)) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
