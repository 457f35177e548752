package io.meshcp.shared.paging;

import java.util.List;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.data.domain.Page;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The JSON shape of every paged list in the REST API. {@code nextCursor} (lists that grow: audit events, streams)
 * reads on after the last item, unshifted by what was added meanwhile; null on the last page. With a cursor,
 * {@code page} counts from the cursor.
 */
public record PageResponse<T>(List<T> items, int page, int size, long totalItems, int totalPages, String nextCursor) {

    /** The highest page number taken: far past any real list, and low enough that page × size never overflows. */
    public static final int MAX_PAGE = 1_000_000;

    public static <T> PageResponse<T> of(Page<T> page) {
        return of(page, null);
    }

    public static <T> PageResponse<T> of(Page<T> page, String nextCursor) {
        return new PageResponse<>(page.getContent(), page.getNumber(), page.getSize(), page.getTotalElements(),
                page.getTotalPages(), nextCursor);
    }

    /** The page, with its cursor for what follows the last item and a Link header (RFC 8288) to it. */
    public static <T> PageResponse<T> withNext(Page<T> page, Function<T, String> cursorOf,
            HttpServletResponse response) {
        if (!page.hasNext() || page.getContent().isEmpty()) {
            return of(page);
        }
        String next = cursorOf.apply(page.getContent().getLast());
        response.addHeader(HttpHeaders.LINK, "<" + ServletUriComponentsBuilder.fromCurrentRequest()
                .replaceQueryParam("cursor", next).replaceQueryParam("page").build().toUriString() + ">; rel=\"next\"");
        return of(page, next);
    }
}
