package io.meshcp.sdk;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.meshcp.shared.Tokens;
import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.problems.NotFoundException;
import io.meshcp.signaling.SignalingEndpoint;
import io.meshcp.streams.StreamView;
import io.meshcp.streams.Streams;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /demo}: a stream of the organisation played through the SDK in the dashboard, with its live numbers,
 * so that opening it in a few tabs shows viewers sharing segments. The page needs more than the dashboard's
 * Content-Security-Policy allows (an import map, the player libraries' host, media from the CDN, the tracker),
 * so it sends a policy of its own, with a nonce for the import map.
 */
@Controller
@DashboardPage
class DemoController {

    static final String PATH = "/demo";

    private static final int STREAMS_LISTED = 100;

    private final Streams streams;

    private final SignalingEndpoint signaling;

    private final DemoProperties properties;

    private final PlayerLibraries libraries;

    DemoController(Streams streams, SignalingEndpoint signaling, DemoProperties properties) {
        this.streams = streams;
        this.signaling = signaling;
        this.properties = properties;
        this.libraries = new PlayerLibraries(properties.playerLibrariesUrl());
    }

    @GetMapping(PATH)
    String demo(@RequestParam(required = false) String stream, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        UUID tenantId = Caller.tenantId();
        model.addAttribute("streams", streams.list(tenantId, null, false, 0, STREAMS_LISTED).stream()
                .filter(candidate -> candidate.manifestUrl() != null).toList());
        String nonce = Tokens.random(22);
        StreamView chosen = null;
        if (stream != null && !stream.isBlank()) {
            chosen = streams.findByExternalId(tenantId, stream).filter(found -> !found.archived())
                    .orElseThrow(() -> new NotFoundException("stream '" + stream + "'"));
            model.addAttribute("stream", chosen);
            model.addAttribute("player", chosen.dashManifest() ? "shaka" : "hls.js");
            model.addAttribute("importMap", libraries.importMap());
            model.addAttribute("shakaScript", libraries.shakaScript());
            model.addAttribute("librariesUrl", properties.playerLibrariesUrl());
            model.addAttribute("nonce", nonce);
        }
        response.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, chosen, request));
        return "sdk/demo";
    }

    /**
     * Scripts only from here, the libraries' host and the nonced import map. Fetches go to the stream's CDN, which
     * may serve segments from host names other than the manifest's, so to any https host; the tracker and the
     * manifest's own origin are named, as either may be plain http on a developer's machine.
     */
    private String contentSecurityPolicy(String nonce, StreamView stream, HttpServletRequest request) {
        Set<String> connect = new LinkedHashSet<>(List.of("'self'", "https:", "wss:",
                properties.librariesOrigin(), origin(signaling.url(request.getScheme(), request.getServerName()))));
        if (stream != null) {
            connect.add(origin(stream.manifestUrl()));
        }
        return "default-src 'self'; script-src 'self' 'nonce-" + nonce + "' " + properties.librariesOrigin()
                + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' blob:; "
                + "worker-src 'self' blob:; connect-src " + String.join(" ", connect)
                + "; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";
    }

    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
