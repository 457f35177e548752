package io.meshcp.streams;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/** One ABR rendition; each forms its own swarm, so its id appears in client-config and analytics. */
public record Rendition(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}", message = "must be 1 to 64 of [A-Za-z0-9_.-]") String id,
        @Positive Long bitrate,
        @Pattern(regexp = "[0-9]{1,5}x[0-9]{1,5}", message = "must look like 1280x720") String resolution) {
}
