/**
 * Streams: what a broadcaster delivers (live or VoD), with its renditions, its external id, and the
 * {@code sensitive} opt-out that keeps it out of p2p entirely. Public API: {@link io.meshcp.streams.Streams}
 * and {@link io.meshcp.streams.StreamChanged}, published after every committed change.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Streams",
        allowedDependencies = {"audit", "database", "shared", "shared :: caching", "shared :: caller",
            "shared :: paging", "shared :: problems"})
package io.meshcp.streams;
