package io.meshcp.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What the dashboard's browser test classes share: one Playwright and one Debian Chromium for the class
 * ({@link Chromium}), each test opening its own context. The player tests launch theirs with WebRTC flags
 * ({@code sdk.Viewers}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BrowserTestBase {

    private Playwright playwright;

    protected Browser browser;

    @BeforeAll
    void launchChromium() {
        playwright = Playwright.create();
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    void closeChromium() {
        if (playwright != null) {
            playwright.close();
        }
    }
}
