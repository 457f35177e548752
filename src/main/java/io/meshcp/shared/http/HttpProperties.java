package io.meshcp.shared.http;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What HTTP requests may bring, and the host names this control plane answers under.
 *
 * @param maxBodySize the largest request body any endpoint takes unless it declares its own
 * ({@link RequestBodyLimit}; telemetry does); larger answers 413 before the body is read
 * @param publicHosts the host names players reach this control plane by: the only ones it builds URLs for players
 * from (tracker, telemetry) when no public URL is configured. The {@code Host} header is the client's to write, so a
 * name not listed is never handed back
 */
@ConfigurationProperties("meshcp.http")
record HttpProperties(@DefaultValue("64KB") DataSize maxBodySize,
        @DefaultValue({"localhost", "127.0.0.1", "[::1]"}) List<String> publicHosts) {
}
