package io.meshcp.shared.paging;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import io.meshcp.shared.problems.InvalidInputException;

/**
 * An opaque position in a list ordered by a few values (the last item's sort keys): the client hands it back to
 * read on from there, so items added or removed meanwhile never shift what it sees, as offsets would.
 */
public final class Cursor {

    private Cursor() {
    }

    public static String encode(String... keys) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(String.join("\n", keys)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The keys of a cursor this API gave out, or a 400 naming the {@code cursor} parameter. */
    public static List<String> decode(String cursor, int keys) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length == keys) {
                return Arrays.asList(parts);
            }
        }
        catch (IllegalArgumentException e) {
            // Not base64: answered below as any other cursor this API did not give out.
        }
        throw new InvalidInputException("cursor", "is not a cursor this API gave out; use nextCursor from a page");
    }
}
