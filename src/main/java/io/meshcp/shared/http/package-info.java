/** HTTP edges: request body limits, browser origins, the public host names, the OpenAPI document. */
@org.springframework.modulith.NamedInterface("http")
package io.meshcp.shared.http;
