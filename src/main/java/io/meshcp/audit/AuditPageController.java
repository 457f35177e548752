package io.meshcp.audit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.paging.PageResponse;
import org.springframework.data.domain.Page;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
@DashboardPage
class AuditPageController {

    private static final int PAGE_SIZE = 50;

    private final AuditLog auditLog;

    private final AuditSentences sentences;

    AuditPageController(AuditLog auditLog, AuditSentences sentences) {
        this.auditLog = auditLog;
        this.sentences = sentences;
    }

    @GetMapping("/audit")
    String audit(@RequestParam(required = false) String type, @RequestParam(defaultValue = "0") int page,
            Model model) {
        UUID tenantId = Caller.tenantId();
        Page<AuditEntry> entries = auditLog.find(tenantId, new AuditQuery(null, null, type), Math.clamp(page, 0, PageResponse.MAX_PAGE),
                PAGE_SIZE);
        model.addAttribute("entries", entries);
        Map<Long, List<AuditSentences.Part>> said = new HashMap<>();
        entries.forEach(entry -> said.put(entry.id(), sentences.sentence(tenantId, entry)));
        model.addAttribute("sentences", said);
        model.addAttribute("types", auditLog.types(tenantId));
        model.addAttribute("type", type);
        return "audit/list";
    }
}
