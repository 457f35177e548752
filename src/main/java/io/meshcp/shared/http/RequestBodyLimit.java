package io.meshcp.shared.http;

/**
 * A request path whose body may be larger (or must be smaller) than {@code meshcp.http.max-body-bytes}: a module
 * declares one as a bean for an endpoint of its own. Bodies over the limit are refused with 413 before anything
 * reads them.
 */
public record RequestBodyLimit(String path, long maxBytes) {
}
