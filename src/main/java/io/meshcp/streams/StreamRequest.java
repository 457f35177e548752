package io.meshcp.streams;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A stream as the API creates or replaces it. */
public record StreamRequest(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_.:-]{1,128}", message = "must be 1 to 128 of [A-Za-z0-9_.:-]")
        String externalId,
        @NotBlank @Size(max = 200) String name,
        @NotNull StreamKind kind,
        @Size(max = 20) List<@Valid @NotNull Rendition> renditions,
        @Size(max = 2000) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String manifestUrl,
        Boolean sensitive) {

    public StreamRequest {
        renditions = renditions == null ? List.of() : List.copyOf(renditions);
    }
}
