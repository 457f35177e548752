/** Problem details: the exceptions modules throw, and how every refusal becomes application/problem+json. */
@org.springframework.modulith.NamedInterface("problems")
package io.meshcp.shared.problems;
