/** Who is calling: a member or an API key, its tenant and role, the client address, and the actor audit records. */
@org.springframework.modulith.NamedInterface("caller")
package io.meshcp.shared.caller;
