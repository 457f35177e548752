package io.meshcp.signaling;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.streams.Streams;
import io.meshcp.streams.SwarmRenditions;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The live swarm view on a stream's page, polled by htmx; swarms are named by the rendition players report. */
@Controller
@DashboardPage
class SwarmsPageController {

    private final SwarmSizes swarmSizes;

    private final Streams streams;

    private final SwarmRenditions renditions;

    SwarmsPageController(SwarmSizes swarmSizes, Streams streams, SwarmRenditions renditions) {
        this.swarmSizes = swarmSizes;
        this.streams = streams;
        this.renditions = renditions;
    }

    @GetMapping("/streams/{streamId}/swarms")
    String swarms(@PathVariable UUID streamId, Model model) {
        UUID tenantId = Caller.tenantId();
        streams.get(tenantId, streamId);
        List<SwarmView> swarms = swarmSizes.swarms(tenantId, streamId);
        model.addAttribute("swarms", swarms);
        model.addAttribute("renditions", swarms.isEmpty() ? Map.of() : renditions.of(tenantId, streamId));
        model.addAttribute("peers", swarms.stream().mapToInt(SwarmView::peers).sum());
        return "signaling/swarms :: swarms";
    }
}
