package io.meshcp.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

/**
 * Debian's Chromium driven by Playwright; never a downloaded browser. Skipped where Chromium is missing,
 * except under CI, which must have it.
 */
public final class Chromium {

    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

    private Chromium() {
    }

    public static Browser launch(Playwright playwright) {
        return launch(playwright, List.of());
    }

    /** With {@code extraArgs} added to the usual flags, such as those the player tests need for WebRTC. */
    public static Browser launch(Playwright playwright, List<String> extraArgs) {
        // Two lanes of tests share two cores with their browsers: a page that needs a few seconds under that load is
        // not a failure. A passing assertion returns as soon as it holds, so only a failing one waits this long.
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
        if (System.getenv("CI") == null) {
            assumeTrue(Files.isExecutable(EXECUTABLE), "browser tests need Debian's Chromium: apt-get install chromium");
        }
        else if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException("CI must install Chromium at " + EXECUTABLE + " (.ci/run does)");
        }
        // Without the background-networking flags Chromium keeps trying hosts this network does not reach.
        return playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(EXECUTABLE)
                .setHeadless(true).setArgs(Stream.concat(Stream.of("--no-sandbox", "--disable-gpu",
                        "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run"), extraArgs.stream()).toList()));
    }
}
