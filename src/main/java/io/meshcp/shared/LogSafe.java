package io.meshcp.shared;

import java.util.regex.Pattern;

/**
 * A value fit for a log line: keys, signaling tokens and secret-looking parameters cut to a recognisable prefix, line
 * breaks and other control characters escaped (so no value can start a forged log line), and at most
 * {@value #MAX_LENGTH} characters. For anything a client could have written: messages of exceptions about a
 * request, paths, parameters.
 */
public final class LogSafe {

    static final int MAX_LENGTH = 500;

    private static final Pattern API_KEY = Pattern.compile("(mesh_(?:sk|pk)_[A-Za-z0-9]{4})[A-Za-z0-9]*");

    private static final Pattern SIGNALING_TOKEN = Pattern.compile("\\bv1\\.[A-Za-z0-9_-]{1,16}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)\\b(password|passwd|secret|token|key|authorization)([=:]\\s*)(?!mesh_)[^&\\s,;\"']+");

    private LogSafe() {
    }

    public static String text(Object value) {
        String text = String.valueOf(value);
        if (text.length() > MAX_LENGTH * 4) {
            text = text.substring(0, MAX_LENGTH * 4);
        }
        text = API_KEY.matcher(text).replaceAll("$1…");
        text = SIGNALING_TOKEN.matcher(text).replaceAll("v1.…");
        text = SECRET_PARAMETER.matcher(text).replaceAll("$1$2…");
        StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 16);
        for (int i = 0; i < text.length() && safe.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> safe.append("\\n");
                case '\r' -> safe.append("\\r");
                case '\t' -> safe.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        safe.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        safe.append(c);
                    }
                }
            }
        }
        if (safe.length() >= MAX_LENGTH && text.length() > MAX_LENGTH) {
            safe.append('…');
        }
        return safe.toString();
    }
}
