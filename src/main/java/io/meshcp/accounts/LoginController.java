package io.meshcp.accounts;

import io.meshcp.shared.caller.DashboardPage;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
@DashboardPage
class LoginController {

    @GetMapping("/login")
    String login() {
        return "accounts/login";
    }
}
