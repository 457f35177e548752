package io.meshcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.AriaRole;
import io.meshcp.support.Chromium;
import io.meshcp.support.StaticServer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Chromium viewers playing through the SDK, each in a browser context of its own (its own peer), on pages
 * that a local CDN serves with the player libraries from npm and that import the SDK from the control plane.
 */
final class Viewers implements AutoCloseable {

    /** WebRTC between contexts of one browser stays on this machine; videos start without a click. */
    static final List<String> FLAGS = List.of("--allow-loopback-in-peer-connection",
            "--disable-features=WebRtcHideLocalIpsWithMdns", "--autoplay-policy=no-user-gesture-required");

    /**
     * Counts the page's WebRTC connections that are up, and the most at once: what a viewer holds, whatever
     * the SDK's own stats say.
     */
    private static final String PEER_CONNECTION_COUNTER = """
            (() => {
              const Native = window.RTCPeerConnection;
              let open = 0;
              window.__maxConnected = 0;
              window.__connectedNow = () => open;
              window.RTCPeerConnection = class extends Native {
                constructor(...args) {
                  super(...args);
                  let counted = false;
                  const down = () => { if (counted) { counted = false; open--; } };
                  this.addEventListener('connectionstatechange', () => {
                    if (this.connectionState === 'connected' && !counted) {
                      counted = true;
                      open++;
                      window.__maxConnected = Math.max(window.__maxConnected, open);
                    } else if (['closed', 'failed', 'disconnected'].includes(this.connectionState)) {
                      down();
                    }
                  });
                  const close = this.close.bind(this);
                  this.close = () => { down(); close(); };
                }
              };
            })();
            """;

    private final Playwright playwright;

    private final Browser browser;

    private final StaticServer cdn;

    private final List<Viewer> open = new ArrayList<>();

    private final List<BrowserContext> contexts = new ArrayList<>();

    Viewers(StaticServer cdn, String controlPlane) {
        this.cdn = cdn;
        String sdk = controlPlane + "/sdk/v1/meshcp.js";
        cdn.page("/hls.html", page(sdk, false));
        cdn.page("/shaka.html", page(sdk, true));
        this.playwright = Playwright.create();
        this.browser = Chromium.launch(playwright, FLAGS);
    }

    /** A new viewer on the hls.js page, as the CDN host name 127.0.0.1 serves it. */
    Viewer hlsJs() {
        return open("127.0.0.1", "/hls.html");
    }

    Viewer shaka() {
        return open("127.0.0.1", "/shaka.html");
    }

    Viewer open(String host, String path) {
        return open(host, path, context -> { });
    }

    /** A new viewer whose browser context {@code setUp} prepares (routes, say) before its page loads. */
    Viewer open(String host, String path, Consumer<BrowserContext> setUp) {
        BrowserContext context = browser.newContext();
        context.addInitScript(PEER_CONNECTION_COUNTER);
        setUp.accept(context);
        Viewer viewer = new Viewer(context, context.newPage());
        viewer.page.navigate(cdn.url(host, path));
        viewer.page.waitForFunction("() => window.viewerReady === true");
        open.add(viewer);
        return viewer;
    }

    /** A browser context signed in to the dashboard at {@code controlPlane}, as {@code email}. */
    BrowserContext signedIn(String controlPlane, String email, String password) {
        BrowserContext context = browser.newContext();
        contexts.add(context);
        Page login = context.newPage();
        login.navigate(controlPlane + "/login");
        login.getByLabel("Email").fill(email);
        login.getByLabel("Password").fill(password);
        login.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        login.waitForURL(controlPlane + "/");
        login.close();
        return context;
    }

    @Override
    public void close() {
        contexts.forEach(BrowserContext::close);
        open.forEach(viewer -> viewer.context.close());
        browser.close();
        playwright.close();
    }

    /**
     * The player libraries from the CDN's /npm/, laid out like jsDelivr's, with the import map the demo page ships:
     * its versions are sdk/test's ({@link DemoPageTests} keeps them equal).
     */
    private static final PlayerLibraries LIBRARIES = new PlayerLibraries("/npm");

    private static final String IMPORT_MAP = "<script type=\"importmap\">" + LIBRARIES.importMap() + "</script>";

    /**
     * A broadcaster's page with the same libraries as the viewers' pages and a video element, running
     * {@code module} (which imports the SDK itself) as its module script.
     */
    static String pageWith(String module) {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>broadcaster</title>
                %s
                </head><body><video muted playsinline autoplay width="640" height="360"></video>
                <script type="module">
                %s
                </script></body></html>
                """.formatted(IMPORT_MAP, module);
    }

    private static String page(String sdk, boolean shaka) {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>viewer</title>
                %s
                %s
                </head><body><video id="video" muted playsinline width="640" height="360"></video>
                <script type="module">
                import { attach } from '%s';
                window.startViewer = async (options) => {
                  const video = document.getElementById('video');
                  const libraries = options.player === 'shaka'
                    ? { shaka: window.shaka, ShakaP2PEngine: (await import('p2p-media-loader-shaka')).ShakaP2PEngine }
                    : { Hls: (await import('hls.js')).default,
                        HlsJsP2PEngine: (await import('p2p-media-loader-hlsjs')).HlsJsP2PEngine };
                  window.session = await attach({ ...options, ...libraries, video });
                  if (options.player !== 'shaka') {
                    window.session.player.on('hlsError', (_, data) => console.warn('hls.js error', data.type,
                      data.details, data.fatal, data.error?.message, data.frag?.url));
                  }
                  for (const name of ['error', 'stalled', 'waiting', 'playing', 'canplay']) {
                    video.addEventListener(name, () => console.log('video', name, video.error?.message ?? ''));
                  }
                  if (options.playbackRate) video.playbackRate = options.playbackRate;
                  // play() settles only once frames play; the session exists already.
                  video.play().catch(() => {});
                  return window.session.sessionId;
                };
                window.viewerReady = true;
                </script></body></html>
                """.formatted(IMPORT_MAP, shaka ? "<script src=\"" + LIBRARIES.shakaScript() + "\"></script>" : "",
                sdk);
    }

    /** One viewer: its page, the tracker sockets it opened, its page log. */
    static final class Viewer {

        final BrowserContext context;

        final Page page;

        private final List<String> trackerSockets = new CopyOnWriteArrayList<>();

        final List<String> errors = new CopyOnWriteArrayList<>();

        /** The page's console and failed requests, shown when a test fails on this viewer. */
        final List<String> log = new CopyOnWriteArrayList<>();

        Viewer(BrowserContext context, Page page) {
            this.context = context;
            this.page = page;
            page.onWebSocket(socket -> {
                trackerSockets.add(socket.url());
                int number = trackerSockets.size();
                log.add("tracker socket " + number + " opened at " + Instant.now());
                socket.onClose(closed -> log.add("tracker socket " + number + " closed at " + Instant.now()));
            });
            page.onPageError(errors::add);
            page.onConsoleMessage(message -> log.add(Instant.now() + " " + message.type() + ": " + message.text()));
            page.onRequestFailed(request -> log.add("failed: " + request.url() + " " + request.failure()));
            page.onResponse(response -> {
                if (response.status() >= 400) {
                    log.add(response.status() + ": " + response.url());
                }
            });
        }

        /** attach() with these options (player, manifestUrl, key, stream, ...); the session id. */
        String start(Map<String, Object> options) {
            page.evaluate("options => { window.startViewer(options).then(id => { window.sessionId = id; }, "
                    + "error => { window.startError = String(error); }); }", options);
            try {
                page.waitForFunction("() => window.sessionId || window.startError", null,
                        new Page.WaitForFunctionOptions().setTimeout(30_000));
            }
            catch (TimeoutError e) {
                throw new AssertionError("attach() did not resolve in 30 s; page log: " + log, e);
            }
            Object failed = page.evaluate("() => window.startError ?? null");
            assertThat(failed).as("attach() failed; page log: %s", log).isNull();
            return (String) page.evaluate("() => window.sessionId");
        }

        /** The URLs of the WebSocket connections the page opened, oldest first. */
        List<String> trackerSockets() {
            deliverEvents();
            return List.copyOf(trackerSockets);
        }

        /**
         * Playwright hands a page's events (sockets, console, routed requests) to Java only while a call to it is
         * under way: a condition that reads only what those handlers collect calls this first, or it never changes.
         */
        void deliverEvents() {
            page.evaluate("() => true");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> stats() {
            return (Map<String, Object>) page.evaluate("() => window.session.stats()");
        }

        long number(String name) {
            return ((Number) stats().get(name)).longValue();
        }

        @SuppressWarnings("unchecked")
        List<String> reasons() {
            return (List<String>) stats().get("reasons");
        }

        boolean p2pEnabled() {
            return Boolean.TRUE.equals(stats().get("p2pEnabled"));
        }

        int maxPeerConnections() {
            return ((Number) page.evaluate("() => window.__maxConnected")).intValue();
        }

        int peerConnectionsNow() {
            return ((Number) page.evaluate("() => window.__connectedNow()")).intValue();
        }

        /** destroy(): the last heartbeat sent; the session's final counters. */
        @SuppressWarnings("unchecked")
        Map<String, Object> destroy() {
            return (Map<String, Object>) page.evaluate("async () => { await window.session.destroy(); "
                    + "return window.session.stats(); }");
        }

        /** Waits for {@code condition}; a timeout fails with this viewer's stats and page log. */
        void waitUntil(String what, Duration atMost, Callable<Boolean> condition) {
            try {
                await().atMost(atMost).until(condition);
            }
            catch (ConditionTimeoutException e) {
                throw new AssertionError("viewer: not " + what + " within " + atMost + "; stats " + stats()
                        + "; tracker sockets " + trackerSockets + "; page log " + log, e);
            }
        }

        void assertNoPageErrors() {
            assertThat(errors).as("uncaught errors in the page").isEmpty();
        }
    }
}
