package io.meshcp.dashboard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.servlet.context.ServletWebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/** Says, last thing at start-up, which address to open: a new user should not have to guess the port. */
@Component
class StartupAddress implements ApplicationListener<ServletWebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(StartupAddress.class);

    @Override
    public void onApplicationEvent(ServletWebServerInitializedEvent event) {
        // The management server (when it has a port of its own) starts a web server of its own; it is not the dashboard.
        if (event.getApplicationContext().getServerNamespace() != null) {
            return;
        }
        String base = "http://localhost:" + event.getWebServer().getPort()
                + event.getApplicationContext().getServletContext().getContextPath();
        log.info("Dashboard: open {}/ (new here? create your organisation at {}/signup)", base, base);
    }
}
