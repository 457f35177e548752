package io.meshcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The demo page's parts that need no browser; PlayerSdkTests plays it in Chromium. */
class DemoPageTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theDemoPageLoadsTheLibraryVersionsTheBrowserTestsRunAgainst() {
        JsonNode installed = JSON.readTree(Path.of("sdk", "test", "package-lock.json").toFile()).get("packages");
        assertThat(PlayerLibraries.HLS_JS).isEqualTo(at(installed, "hls.js"));
        assertThat(PlayerLibraries.CORE).isEqualTo(at(installed, "p2p-media-loader-core"));
        assertThat(PlayerLibraries.HLS_JS_ENGINE).isEqualTo(at(installed, "p2p-media-loader-hlsjs"));
        assertThat(PlayerLibraries.SHAKA).isEqualTo(at(installed, "shaka-player"));
        assertThat(PlayerLibraries.SHAKA_ENGINE).isEqualTo(at(installed, "p2p-media-loader-shaka"));
        assertThat(PlayerLibraries.SHAKA_ENGINE_CORE)
                .isEqualTo(at(installed, "p2p-media-loader-shaka/node_modules/p2p-media-loader-core"));
    }

    @Test
    void theImportMapNamesEveryLibraryAndGivesTheShakaEngineItsOwnCore() {
        JsonNode map = JSON.readTree(new PlayerLibraries("https://mirror.example/npm").importMap());

        assertThat(map.get("imports").get("hls.js").asString())
                .isEqualTo("https://mirror.example/npm/hls.js@1.7.4/dist/hls.mjs");
        assertThat(map.get("imports").get("p2p-media-loader-core").asString()).contains("p2p-media-loader-core@2.3.1/");
        assertThat(map.get("scopes").get("https://mirror.example/npm/p2p-media-loader-shaka@2.2.2/")
                .get("p2p-media-loader-core").asString()).contains("p2p-media-loader-core@2.2.2/");
    }

    @Test
    void theImportMapCannotEndItsScriptElement() {
        assertThat(new PlayerLibraries("https://mirror.example/</script><script>alert(1)").importMap())
                .doesNotContain("</");
    }

    @Test
    void theLibrariesUrlMustBeHttpAndLosesItsTrailingSlash() {
        assertThat(new DemoProperties("https://cdn.jsdelivr.net/npm/").playerLibrariesUrl())
                .isEqualTo("https://cdn.jsdelivr.net/npm");
        assertThat(new DemoProperties("http://mirror.internal:8080/npm").librariesOrigin())
                .isEqualTo("http://mirror.internal:8080");
        assertThatThrownBy(() -> new DemoProperties("javascript:alert(1)")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DemoProperties("/npm")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String at(JsonNode packages, String name) {
        return name.replaceFirst("^.*/", "") + "@" + packages.get("node_modules/" + name).get("version").asString();
    }
}
