package io.meshcp.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.paging.PageResponse;
import io.meshcp.shared.problems.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import org.springframework.data.domain.Page;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The dashboard's streams list and stream page; the policy part of the page comes from the policies module. */
@Controller
@DashboardPage
class StreamsPageController {

    private static final int PAGE_SIZE = 50;

    private final Streams streams;

    private final P2pStates p2pStates;

    StreamsPageController(Streams streams, P2pStates p2pStates) {
        this.streams = streams;
        this.p2pStates = p2pStates;
    }

    @GetMapping("/streams")
    String list(@RequestParam(required = false) String q, @RequestParam(defaultValue = "false") boolean archived,
            @RequestParam(defaultValue = "0") int page, Model model) {
        UUID tenantId = Caller.tenantId();
        Page<StreamView> listed = streams.list(tenantId, q, archived, Math.clamp(page, 0, PageResponse.MAX_PAGE),
                PAGE_SIZE);
        model.addAttribute("streams", listed);
        model.addAttribute("p2p", listed.stream().collect(Collectors.toMap(StreamView::id,
                stream -> p2pStates.of(tenantId, stream))));
        model.addAttribute("q", q);
        model.addAttribute("archived", archived);
        return "streams/list";
    }

    @GetMapping("/streams/{id}")
    String stream(@PathVariable UUID id, Model model) {
        model.addAttribute("stream", streams.get(Caller.tenantId(), id));
        return "streams/stream";
    }

    @PostMapping("/streams")
    @PreAuthorize("hasRole('OPS')")
    String create(@RequestParam String externalId, @RequestParam String name, @RequestParam StreamKind kind,
            @RequestParam(defaultValue = "") String renditions, @RequestParam(defaultValue = "") String manifestUrl,
            @RequestParam(defaultValue = "false") boolean sensitive, HttpServletRequest request,
            RedirectAttributes redirect) {
        try {
            StreamView created = streams.create(Caller.tenantId(), new StreamRequest(externalId.strip(), name, kind,
                    parseRenditions(renditions), manifestUrl.isBlank() ? null : manifestUrl.strip(), sensitive),
                    Actor.of(Caller.current(), request));
            return "redirect:/streams/" + created.id();
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", e.field() + ": " + e.getMessage());
        }
        catch (ConstraintViolationException e) {
            redirect.addFlashAttribute("error", violations(e));
        }
        // What was typed comes back into the form, so that a refusal costs one correction, not the whole form.
        redirect.addFlashAttribute("typed", new Typed(externalId, name, kind, renditions, manifestUrl, sensitive));
        return "redirect:/streams";
    }

    @PostMapping("/streams/{id}")
    @PreAuthorize("hasRole('OPS')")
    String update(@PathVariable UUID id, @RequestParam String externalId, @RequestParam String name,
            @RequestParam StreamKind kind, @RequestParam(defaultValue = "") String renditions,
            @RequestParam(defaultValue = "") String manifestUrl, HttpServletRequest request,
            RedirectAttributes redirect) {
        UUID tenantId = Caller.tenantId();
        StreamView current = streams.get(tenantId, id);
        try {
            streams.update(tenantId, id, new StreamRequest(externalId.strip(), name, kind, parseRenditions(renditions),
                    manifestUrl.isBlank() ? null : manifestUrl.strip(), current.sensitive()),
                    Actor.of(Caller.current(), request));
            redirect.addFlashAttribute("notice", "Stream saved.");
            return "redirect:/streams/" + id;
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", e.field() + ": " + e.getMessage());
        }
        catch (ConstraintViolationException e) {
            redirect.addFlashAttribute("error", violations(e));
        }
        redirect.addFlashAttribute("typed", new Typed(externalId, name, kind, renditions, manifestUrl,
                current.sensitive()));
        return "redirect:/streams/" + id;
    }

    @PostMapping("/streams/{id}/archive")
    @PreAuthorize("hasRole('OPS')")
    String archive(@PathVariable UUID id, @RequestParam boolean archived, HttpServletRequest request) {
        streams.archive(Caller.tenantId(), id, archived, Actor.of(Caller.current(), request));
        return "redirect:/streams/" + id;
    }

    @PostMapping("/streams/{id}/content-version")
    @PreAuthorize("hasRole('OPS')")
    String newContentVersion(@PathVariable UUID id, HttpServletRequest request, RedirectAttributes redirect) {
        StreamView stream = streams.newContentVersion(Caller.tenantId(), id, Actor.of(Caller.current(), request));
        redirect.addFlashAttribute("notice", "Content version " + stream.contentVersion() + ": players join new "
                + "swarms from their next client-config.");
        return "redirect:/streams/" + id;
    }

    @PostMapping("/streams/{id}/sensitive")
    @PreAuthorize("hasRole('OPS')")
    String sensitive(@PathVariable UUID id, @RequestParam boolean sensitive, HttpServletRequest request) {
        StreamView stream = streams.get(Caller.tenantId(), id);
        streams.update(Caller.tenantId(), id, new StreamRequest(stream.externalId(), stream.name(), stream.kind(),
                stream.renditions(), stream.manifestUrl(), sensitive), Actor.of(Caller.current(), request));
        return "redirect:/streams/" + id;
    }

    private static String violations(ConstraintViolationException e) {
        return String.join("; ", e.getConstraintViolations().stream()
                .map(v -> v.getPropertyPath() + ": " + v.getMessage()).sorted().toList());
    }

    /** One rendition per line: {@code id [bitrate] [WxH]}, e.g. {@code 720p 3000000 1280x720}. */
    private static List<Rendition> parseRenditions(String text) {
        List<Rendition> renditions = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String[] parts = line.strip().split("\\s+");
            if (parts[0].isEmpty()) {
                continue;
            }
            Long bitrate = null;
            if (parts.length > 1) {
                try {
                    bitrate = Long.valueOf(parts[1]);
                }
                catch (NumberFormatException e) {
                    throw new InvalidInputException("renditions", "'" + parts[1] + "' is not a bitrate in bits/s");
                }
            }
            renditions.add(new Rendition(parts[0], bitrate, parts.length > 2 ? parts[2] : null));
        }
        return renditions;
    }

    /** A stream form as it was sent. */
    record Typed(String externalId, String name, StreamKind kind, String renditions, String manifestUrl,
            boolean sensitive) {
    }
}
