package io.meshcp.streams;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.meshcp.shared.Tokens;

/**
 * A stream as the rest of the application sees it. {@code contentVersion} starts at 1 and is raised by the
 * broadcaster when the content behind the stream's id changes: viewers of different versions never share segments.
 */
public record StreamView(UUID id, String externalId, String name, StreamKind kind, List<Rendition> renditions,
        String manifestUrl, boolean sensitive, boolean archived, int contentVersion, Instant createdAt,
        Instant updatedAt) {

    /**
     * The id players derive their swarms from: the same whatever CDN host name or signed URL a viewer's manifest
     * came from, different for each content version, and opaque (it names neither the organisation nor the stream).
     */
    public String swarmId() {
        byte[] hash = Tokens.sha256("meshcp-swarm:" + id + ":" + contentVersion);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16));
    }

    /** Whether the manifest is a DASH MPD (played in Shaka Player), by the path's extension; else HLS. */
    public boolean dashManifest() {
        String path = manifestUrl == null ? null : URI.create(manifestUrl).getPath();
        return path != null && path.toLowerCase(Locale.ROOT).endsWith(".mpd");
    }
}
