package io.meshcp.webhooks;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

/**
 * A webhook endpoint as its owner sets it: where deliveries go, what they are about, and whether they go now.
 *
 * @param url an absolute https URL (http only for an address the operator allowed), at most 2,048 characters
 * @param description what it is for, at most 200 characters
 * @param events the event types it wants ({@code kill_switch.engaged}, ...)
 * @param enabled false stops its deliveries; left out: true
 */
@Schema(example = """
        {"url": "https://ops.example.com/meshcp-hooks", "description": "ops pager",
         "events": ["kill_switch.engaged", "kill_switch.released", "live_event.started"]}""")
public record EndpointRequest(@NotBlank @Size(max = 2048) String url, @Size(max = 200) String description,
        @NotEmpty @Size(max = 20) List<String> events, Boolean enabled) {
}
