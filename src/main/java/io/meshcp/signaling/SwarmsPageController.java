package io.meshcp.signaling;

import java.util.List;
import java.util.UUID;

import io.meshcp.shared.Caller;
import io.meshcp.streams.Streams;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The live swarm view on a stream's page, polled by htmx. */
@Controller
class SwarmsPageController {

    private final SwarmSizes swarmSizes;

    private final Streams streams;

    SwarmsPageController(SwarmSizes swarmSizes, Streams streams) {
        this.swarmSizes = swarmSizes;
        this.streams = streams;
    }

    @GetMapping("/streams/{streamId}/swarms")
    String swarms(@PathVariable UUID streamId, Model model) {
        UUID tenantId = Caller.tenantId();
        streams.get(tenantId, streamId);
        List<SwarmView> swarms = swarmSizes.swarms(tenantId, streamId);
        model.addAttribute("swarms", swarms);
        model.addAttribute("peers", swarms.stream().mapToInt(SwarmView::peers).sum());
        return "signaling/swarms :: swarms";
    }
}
