package io.meshcp.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class StreamViewTests {

    @Test
    void aManifestIsDashByItsPathsExtensionWhateverItsCaseOrQuery() {
        assertThat(withManifest("https://cdn.example/live/manifest.MPD?sig=1").dashManifest()).isTrue();
        assertThat(withManifest("https://cdn.example/live/master.m3u8").dashManifest()).isFalse();
        assertThat(withManifest("https://cdn.example/live/index?format=mpd").dashManifest()).isFalse();
        assertThat(withManifest(null).dashManifest()).isFalse();
    }

    private static StreamView withManifest(String manifestUrl) {
        return new StreamView(UUID.randomUUID(), "ext", "name", StreamKind.LIVE, List.of(), manifestUrl, false, false, 1,
                Instant.EPOCH, Instant.EPOCH);
    }
}
