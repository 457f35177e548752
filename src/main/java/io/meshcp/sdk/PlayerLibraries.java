package io.meshcp.sdk;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * The player libraries the demo page loads: the versions the SDK's browser tests run against
 * ({@code sdk/test/package.json}; a test keeps the two equal), from a base laid out like jsDelivr's.
 */
final class PlayerLibraries {

    static final String HLS_JS = "hls.js@1.7.4";

    static final String CORE = "p2p-media-loader-core@2.3.1";

    static final String HLS_JS_ENGINE = "p2p-media-loader-hlsjs@2.3.1";

    static final String SHAKA = "shaka-player@5.2.12";

    static final String SHAKA_ENGINE = "p2p-media-loader-shaka@2.2.2";

    /** p2p-media-loader-shaka 2.2.2 is built against its own core, one minor version behind. */
    static final String SHAKA_ENGINE_CORE = "p2p-media-loader-core@2.2.2";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;

    PlayerLibraries(String base) {
        this.base = base;
    }

    /** The page's import map: bare specifiers to ES module files, with the Shaka engine's own core scoped. */
    String importMap() {
        Map<String, String> imports = new LinkedHashMap<>();
        imports.put("hls.js", url(HLS_JS, "dist/hls.mjs"));
        imports.put("p2p-media-loader-core", url(CORE, "dist/p2p-media-loader-core.es.js"));
        imports.put("p2p-media-loader-hlsjs", url(HLS_JS_ENGINE, "dist/p2p-media-loader-hlsjs.es.js"));
        imports.put("p2p-media-loader-shaka", url(SHAKA_ENGINE, "dist/p2p-media-loader-shaka.es.js"));
        Map<String, Object> map = Map.of("imports", imports, "scopes", Map.of(url(SHAKA_ENGINE, ""),
                Map.of("p2p-media-loader-core", url(SHAKA_ENGINE_CORE, "dist/p2p-media-loader-core.es.js"))));
        // Inside a <script> element "</" would end it early, whatever the JSON around it.
        return JSON.writeValueAsString(map).replace("</", "<\\/");
    }

    /** Shaka Player's compiled build, a classic script that defines the global {@code shaka}. */
    String shakaScript() {
        return url(SHAKA, "dist/shaka-player.compiled.js");
    }

    private String url(String packageAtVersion, String file) {
        return base + "/" + packageAtVersion + "/" + file;
    }
}
