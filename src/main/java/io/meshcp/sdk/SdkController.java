package io.meshcp.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The SDK's files, read once from the jar. The path carries the major version only, so a page keeps its
 * import URL across releases: browsers and CDNs may use a copy for five minutes, then revalidate by ETag.
 */
@RestController
class SdkController {

    static final String BASE = "/sdk/v1/";

    private static final MediaType JAVASCRIPT = MediaType.parseMediaType("text/javascript;charset=UTF-8");

    private static final MediaType TYPESCRIPT = MediaType.parseMediaType("text/plain;charset=UTF-8");

    private static final CacheControl CACHING = CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic()
            .staleWhileRevalidate(Duration.ofHours(1));

    private final Map<String, SdkFile> files;

    SdkController() {
        this.files = load();
    }

    @GetMapping(BASE + "{file}")
    ResponseEntity<byte[]> module(@PathVariable String file,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        return serve(file, ifNoneMatch);
    }

    @GetMapping(BASE + "lib/{file}")
    ResponseEntity<byte[]> libraryModule(@PathVariable String file,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        return serve("lib/" + file, ifNoneMatch);
    }

    private ResponseEntity<byte[]> serve(String path, String ifNoneMatch) {
        SdkFile found = files.get(path);
        if (found == null) {
            return ResponseEntity.notFound().build();
        }
        boolean unchanged = ifNoneMatch != null && ifNoneMatch.contains(found.etag());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(unchanged ? HttpStatus.NOT_MODIFIED : HttpStatus.OK)
                .eTag(found.etag()).cacheControl(CACHING)
                // Broadcasters import the module from their own pages: any origin may read it.
                .header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .header("Cross-Origin-Resource-Policy", "cross-origin");
        return unchanged ? response.build() : response.contentType(found.type()).body(found.content());
    }

    private static Map<String, SdkFile> load() {
        Map<String, SdkFile> loaded = new HashMap<>();
        try {
            PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
            List<Resource> resources = new ArrayList<>(List.of(resolver.getResources("classpath:sdk/v1/**/*.js")));
            resources.addAll(List.of(resolver.getResources("classpath:sdk/v1/*.d.ts")));
            for (Resource resource : resources) {
                String url = resource.getURL().toString();
                String path = url.substring(url.lastIndexOf("sdk/v1/") + "sdk/v1/".length());
                try (InputStream in = resource.getInputStream()) {
                    byte[] content = in.readAllBytes();
                    loaded.put(path, new SdkFile(content, etag(content),
                            path.endsWith(".d.ts") ? TYPESCRIPT : JAVASCRIPT));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the player SDK from the classpath", e);
        }
        if (!loaded.containsKey("meshcp.js")) {
            throw new IllegalStateException("the player SDK (sdk/meshcp.js) is missing from the build");
        }
        return Map.copyOf(loaded);
    }

    private static String etag(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record SdkFile(byte[] content, String etag, MediaType type) {
    }
}
