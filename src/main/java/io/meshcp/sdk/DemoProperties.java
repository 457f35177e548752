package io.meshcp.sdk;

import java.net.URI;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The demo page.
 *
 * @param playerLibrariesUrl where the demo page loads hls.js, Shaka Player and p2p-media-loader from: a base
 * laid out like {@code https://cdn.jsdelivr.net/npm} ({@code <base>/<package>@<version>/<file>}), so that a
 * self-hoster can mirror the same files on a host of their own
 */
@Validated
@ConfigurationProperties("meshcp.demo")
record DemoProperties(@DefaultValue("https://cdn.jsdelivr.net/npm") @NotBlank String playerLibrariesUrl) {

    DemoProperties {
        URI base = URI.create(playerLibrariesUrl);
        if (!"https".equals(base.getScheme()) && !"http".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("meshcp.demo.player-libraries-url must be an http(s) URL: "
                    + playerLibrariesUrl);
        }
        playerLibrariesUrl = playerLibrariesUrl.replaceAll("/+$", "");
    }

    /** The scheme, host and port of the libraries, for the page's Content-Security-Policy. */
    String librariesOrigin() {
        URI base = URI.create(playerLibrariesUrl);
        return base.getScheme() + "://" + base.getRawAuthority();
    }
}
