/**
 * Serves the player SDK ({@code sdk/} in the repository) at {@code /sdk/v1/}: plain ES modules that
 * broadcasters' pages import from any origin, revalidated by ETag.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Player SDK",
        allowedDependencies = {"shared", "shared :: caller", "shared :: problems", "signaling", "streams"})
package io.meshcp.sdk;
