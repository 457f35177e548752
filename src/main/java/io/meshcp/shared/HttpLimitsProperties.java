package io.meshcp.shared;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what one HTTP request may bring.
 *
 * @param maxBodySize the largest request body any endpoint takes unless it declares its own
 * ({@link RequestBodyLimit}; telemetry does); larger answers 413 before the body is read
 */
@ConfigurationProperties("meshcp.http")
record HttpLimitsProperties(@DefaultValue("64KB") DataSize maxBodySize) {
}
