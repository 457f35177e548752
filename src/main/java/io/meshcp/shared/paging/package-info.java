/** Cursor pagination for list endpoints. */
@org.springframework.modulith.NamedInterface("paging")
package io.meshcp.shared.paging;
