package io.meshcp.shared;

import java.util.List;

import org.springframework.data.domain.Page;

/** The JSON shape of every paged list in the REST API. */
public record PageResponse<T>(List<T> items, int page, int size, long totalItems, int totalPages) {

    /** The highest page number taken: far past any real list, and low enough that page × size never overflows. */
    public static final int MAX_PAGE = 1_000_000;

    public static <T> PageResponse<T> of(Page<T> page) {
        return new PageResponse<>(page.getContent(), page.getNumber(), page.getSize(), page.getTotalElements(),
                page.getTotalPages());
    }
}
