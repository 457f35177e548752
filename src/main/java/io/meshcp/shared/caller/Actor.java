package io.meshcp.shared.caller;

import jakarta.servlet.http.HttpServletRequest;

/** Who made a change and from where, as the audit log records it. {@code clientIp} is truncated. */
public record Actor(String name, Source source, String clientIp) {

    public static final Actor SYSTEM = new Actor("system", Source.SYSTEM, null);

    public static Actor of(TenantPrincipal principal, HttpServletRequest request) {
        return new Actor(principal.actor(), principal.source(), ClientAddress.truncated(request));
    }
}
