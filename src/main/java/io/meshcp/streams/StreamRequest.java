package io.meshcp.streams;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A stream as the API creates or replaces it. */
@Schema(example = """
        {"externalId": "cup-final", "name": "Cup final", "kind": "LIVE", "renditions": [
         {"id": "1080p", "bitrate": 6000000, "resolution": "1920x1080"},
         {"id": "720p", "bitrate": 3000000, "resolution": "1280x720"}],
         "manifestUrl": "https://cdn.example.com/cup-final/master.m3u8", "sensitive": false}""")
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
