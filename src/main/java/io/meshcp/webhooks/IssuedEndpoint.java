package io.meshcp.webhooks;

/** An endpoint with its signing secret, given once: when it is created and when its secret is rotated. */
public record IssuedEndpoint(EndpointView endpoint, String secret) {
}
