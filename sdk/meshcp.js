// The mesh control plane's player SDK: one call wires client-config, p2p-media-loader and telemetry.
// docs/player-integration.md is the guide; index.d.ts the contract.

import { ClientConfigSource, ConfigRefused, deviceClass, networkType, watchBattery } from './lib/client-config.js';
import { PlaybackClock } from './lib/playback-clock.js';
import { hlsJsPlayer, shakaPlayer } from './lib/players.js';
import { renditionOf, tokenFingerprint, trackerNotice } from './lib/swarm.js';
import { TelemetrySender } from './lib/telemetry.js';

export const VERSION = '1.0.0';
const SDK = `meshcp-js/${VERSION}`;
const MODULE_ORIGIN = new URL(import.meta.url).origin;

// Tracker notices after which p2p stays off until a later client-config says it is on again.
const P2P_OFF = new Set(['KILL_SWITCH', 'AUTO_GUARD', 'P2P_DISABLED', 'STREAM_GONE', 'STREAM_SENSITIVE', 'HOLDOUT_COHORT',
  'KEY_REVOKED', 'TENANT_CONNECTIONS', 'SESSION_CONNECTIONS', 'ADDRESS_CONNECTIONS']);
// Notices answered by a new tracker connection with a fresh token.
const RECONNECT = new Set(['TOKEN_INVALID', 'TOKEN_EXPIRED', 'TOKEN_SUPERSEDED', 'TRACKER_RESTARTING',
  'TRACKER_UNREACHABLE']);
// A config fetched this soon after the tracker turned p2p off may predate the change everywhere.
const P2P_OFF_SETTLE_MS = 5000;
// How long a reconnect reason keeps being reported after the reconnect, unless the tracker refuses again.
const RECONNECT_REASON_HOLD_MS = 10_000;
const DEFAULT_REFRESH_MS = 30_000;
const DEFAULT_HEARTBEAT_MS = 10_000;
const MAX_REMEMBERED_SEGMENTS = 5000;

/**
 * Starts playback of `manifestUrl` in `video` with p2p as the control plane decides, and reports it.
 * Resolves once the player is loading; never rejects because the control plane is unreachable or refuses
 * (the video then plays from the CDN and `stats().reasons` says why), only for wrong arguments.
 */
export async function attach(options) {
  const session = new Session(checked(options));
  await session.start();
  return Object.freeze({
    sessionId: session.id,
    stats: () => session.stats(),
    destroy: () => session.destroy(),
    player: session.adapter.instance,
  });
}

function checked(options) {
  const o = { ...options };
  const fail = (message) => {
    throw new TypeError(`meshcp.attach: ${message}`);
  };
  if (o.player === 'hls.js') {
    if (typeof o.Hls !== 'function') fail('player "hls.js" needs Hls (the hls.js class)');
    if (typeof o.HlsJsP2PEngine?.injectMixin !== 'function') fail('player "hls.js" needs HlsJsP2PEngine (p2p-media-loader-hlsjs)');
  } else if (o.player === 'shaka') {
    if (typeof o.shaka?.Player !== 'function') fail('player "shaka" needs shaka (shaka-player)');
    if (typeof o.ShakaP2PEngine?.registerPlugins !== 'function') fail('player "shaka" needs ShakaP2PEngine (p2p-media-loader-shaka)');
  } else {
    fail('player must be "hls.js" or "shaka"');
  }
  if (!(o.video instanceof HTMLMediaElement)) fail('video must be a <video> element');
  if (typeof o.manifestUrl !== 'string' || o.manifestUrl === '') fail('manifestUrl is required');
  if (typeof o.key !== 'string' || !o.key.startsWith('mesh_pk_')) fail('key must be a publishable key (mesh_pk_...)');
  if (typeof o.stream !== 'string' || o.stream === '') fail("stream is required (the stream's external id)");
  o.controlPlane = new URL(o.controlPlane ?? MODULE_ORIGIN).origin;
  o.manifestUrl = new URL(o.manifestUrl, document.baseURI).href;
  return o;
}

class Session {
  constructor(options) {
    this.options = options;
    this.id = crypto.randomUUID().replaceAll('-', '');
    this.device = options.device ?? deviceClass();
    this.totals = { cdnBytes: 0, p2pBytesDown: 0, p2pBytesUp: 0 };
    this.reported = { cdnBytes: 0, p2pBytesDown: 0, p2pBytesUp: 0, playMs: 0, rebufferMs: 0 };
    this.peers = new Set();
    this.coreSegments = new Set();
    this.notices = new Map();
    this.timers = new Set();
    this.destroyed = false;
    this.p2pOn = false;
    this.reconnects = 0;
    this.source = new ClientConfigSource({
      controlPlane: options.controlPlane,
      key: options.key,
      stream: options.stream,
      rendition: options.rendition,
      session: this.id,
      context: () => this.context(),
    });
  }

  context() {
    return { device: this.device, network: networkType(), nat: this.options.nat, ...(this.battery?.read() ?? {}) };
  }

  async start() {
    this.battery = await watchBattery(() => this.onBatteryChange());
    this.clock = new PlaybackClock(this.options.video);
    this.config = await this.firstConfig();
    this.cohort = this.config?.cohort ?? null;
    // A holdout session plays exactly what a page without the SDK would: the plain player.
    const withP2p = this.config !== null && this.cohort === 'p2p';
    this.adapter = this.createPlayer(withP2p ? this.coreConfig() : null);
    this.engine = this.adapter.engine;
    if (this.engine) this.listenToCore(this.engine);
    this.p2pOn = Boolean(this.engine) && this.wantsP2p();
    this.upload = Boolean(this.config?.p2p?.upload);
    if (this.config) this.startTelemetry();
    this.listenToPage();
    if (!this.refused) this.scheduleRefresh(this.refreshMs());
    await this.adapter.start();
  }

  /** client-config at start: one retry, then play without p2p rather than keep the viewer waiting. */
  async firstConfig() {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        return await this.source.fetch();
      } catch (error) {
        if (error instanceof ConfigRefused) {
          this.refused = error;
          this.notices.set('CONFIG_REFUSED', { since: Date.now(), until: Infinity });
          console.error(`meshcp: ${error.message}; playing without p2p or telemetry`);
          return null;
        }
        console.warn('meshcp: client-config unreachable', error);
      }
    }
    this.notices.set('CONFIG_UNREACHABLE', { until: Infinity });
    return null;
  }

  createPlayer(core) {
    const { options } = this;
    const live = this.config?.stream?.kind === 'LIVE';
    const common = {
      video: options.video,
      manifestUrl: options.manifestUrl,
      playerConfig: options.playerConfig,
      core,
      targetLatencyS: live ? this.latencyBudgetS() : null,
      onSegment: (url, bytes) => {
        // Segments the core fetched were counted by source as they arrived; the rest came from the CDN.
        if (!this.coreSegments.has(url)) this.totals.cdnBytes += bytes;
      },
    };
    return options.player === 'hls.js'
      ? hlsJsPlayer({ ...common, Hls: options.Hls, HlsJsP2PEngine: options.HlsJsP2PEngine })
      : shakaPlayer({ ...common, shaka: options.shaka, ShakaP2PEngine: options.ShakaP2PEngine });
  }

  latencyBudgetS() {
    const budgetMs = this.config?.p2p?.latencyBudgetMs;
    return budgetMs ? Math.max(1, budgetMs / 1000) : null;
  }

  /** p2p-media-loader's core config for the current client-config. */
  coreConfig() {
    const { config } = this;
    const live = config.stream?.kind === 'LIVE';
    return {
      ...(config.swarmId ? { swarmId: config.swarmId } : {}),
      announceTrackers: this.announceUrls(),
      rtcConfig: { iceServers: config.iceServers ?? [] },
      isP2PDisabled: !this.wantsP2p(),
      isP2PUploadDisabled: !config.p2p.upload,
      ...(live ? this.liveWindows() : {}),
    };
  }

  /**
   * A live viewer sits `latencyBudgetMs` behind the live edge. A new segment is fetched from peers only
   * while it is further ahead than the high-demand window, so half the budget goes to peers and half is
   * left for the CDN; a peer that stops sending is given up after a quarter of it.
   */
  liveWindows() {
    const budgetS = this.latencyBudgetS() ?? 6;
    return {
      highDemandTimeWindow: Math.min(15, Math.max(1, budgetS / 2)),
      p2pNotReceivingBytesTimeoutMs: Math.min(2000, Math.max(500, (budgetS * 1000) / 4)),
    };
  }

  /** The tracker URL with the current token, which becomes the token of the core's next tracker connection. */
  announceUrls() {
    const signaling = this.config?.signaling;
    if (!signaling) return [];
    this.trackerToken = signaling.token;
    const url = new URL(signaling.url);
    url.searchParams.set('token', signaling.token);
    return [url.href];
  }

  wantsP2p() {
    const { config } = this;
    if (!config?.p2p?.enabled || !config.signaling) return false;
    return ![...this.notices.keys()].some((code) => P2P_OFF.has(code));
  }

  listenToCore(engine) {
    // The core calls listeners inside its own bookkeeping: one that throws would stall the segment.
    const on = (name, listener) => engine.addEventListener(name, (...args) => {
      try {
        listener(...args);
      } catch (error) {
        console.warn('meshcp:', error);
      }
    });
    on('onChunkDownloaded', (bytes, source) => {
      if (source === 'p2p') this.totals.p2pBytesDown += bytes;
      else this.totals.cdnBytes += bytes;
    });
    on('onChunkUploaded', (bytes) => {
      this.totals.p2pBytesUp += bytes;
    });
    on('onSegmentLoaded', ({ segmentUrl }) => {
      this.coreSegments.add(segmentUrl);
      if (this.coreSegments.size > MAX_REMEMBERED_SEGMENTS) {
        this.coreSegments.delete(this.coreSegments.values().next().value);
      }
    });
    on('onPeerConnect', ({ peerId, streamType }) => {
      this.peers.add(`${streamType}:${peerId}`);
      this.reconnects = 0;
    });
    on('onPeerClose', ({ peerId, streamType }) => {
      this.peers.delete(`${streamType}:${peerId}`);
    });
    on('onTrackerWarning', ({ warning }) => this.onTrackerMessage(warning));
    on('onTrackerError', ({ error }) => {
      console.info('meshcp: tracker error:', error?.message ?? error);
      this.reconnect('TRACKER_UNREACHABLE');
    });
  }

  /** Failure reasons and warnings from the tracker, and the npm client's own connection trouble. */
  onTrackerMessage(warning) {
    if (this.destroyed) return;
    const message = warning?.message ?? String(warning);
    console.info('meshcp: tracker:', message);
    const notice = trackerNotice(message);
    if (!notice) {
      if (/connect|socket|websocket/i.test(message)) this.reconnect('TRACKER_UNREACHABLE');
      return;
    }
    const { code, token } = notice;
    // Refusals name the token they refused. The core's connection carries the token it was given, not the
    // newer ones refreshes have fetched since (its own reconnects reuse that URL); any other is from a socket
    // of an earlier connection, which the npm client keeps reconnecting after it is destroyed.
    if (token && token !== tokenFingerprint(this.trackerToken)) return;
    if (P2P_OFF.has(code)) {
      this.notices.set(code, { since: Date.now(), until: Infinity });
      this.turnP2pOff();
    } else if (code === 'POLICY_CHANGED') {
      this.scheduleRefresh(Math.random() * 2000);
    } else if (RECONNECT.has(code)) {
      this.reconnect(code);
    }
  }

  /**
   * A new tracker connection with a fresh token, after a pause that doubles while the tracker keeps
   * refusing or stays out of reach, so a fleet of viewers does not come back all at once.
   */
  reconnect(code, { report = true } = {}) {
    if (this.destroyed || !this.engine) return;
    if (report) this.notices.set(code, { since: Date.now(), until: Infinity });
    if (this.reconnectTimer) return;
    const base = Math.min(this.refreshMs(), 1000 * 2 ** Math.min(this.reconnects, 5));
    const delay = base / 2 + Math.random() * base;
    this.reconnects += 1;
    this.reconnectTimer = this.later(delay, async () => {
      this.reconnectTimer = null;
      console.info(`meshcp: reconnecting to the tracker (${code})`);
      await this.refresh();
      if (!this.wantsP2p()) return;
      this.turnP2pOff();
      this.turnP2pOn();
      for (const reason of RECONNECT) {
        const notice = this.notices.get(reason);
        if (notice) notice.until = Date.now() + RECONNECT_REASON_HOLD_MS;
      }
    });
  }

  turnP2pOff() {
    if (!this.engine || !this.p2pOn) return;
    this.p2pOn = false;
    this.engine.applyDynamicConfig({ core: { isP2PDisabled: true } });
    this.peers.clear();
  }

  turnP2pOn() {
    if (!this.engine || this.p2pOn || !this.wantsP2p()) return;
    this.p2pOn = true;
    // announceTrackers is read when the core makes its next stream loader and tracker client: at the next
    // segment load after p2p was off (p2p-media-loader-core 2.3, Core.getStreamHybridLoader).
    this.engine.applyDynamicConfig({
      core: { announceTrackers: this.announceUrls(), rtcConfig: { iceServers: this.config.iceServers ?? [] },
        isP2PDisabled: false },
    });
  }

  /** Asks client-config again and follows what changed: p2p on or off, upload, the latency budget. */
  async refresh() {
    let config;
    try {
      config = await this.source.fetch();
    } catch (error) {
      if (error instanceof ConfigRefused) {
        // A revoked key or a deleted stream: p2p ends, the video goes on from the CDN.
        this.refused = error;
        this.notices.set(error.status === 404 ? 'STREAM_GONE' : 'KEY_REVOKED', { since: Date.now(), until: Infinity });
        this.turnP2pOff();
      }
      return;
    }
    if (this.destroyed) return;
    const previousBudget = this.config?.p2p?.latencyBudgetMs;
    this.config = config;
    this.notices.delete('CONFIG_UNREACHABLE');
    if (config.p2p.enabled) {
      for (const [code, notice] of this.notices) {
        if (P2P_OFF.has(code) && Date.now() - notice.since > P2P_OFF_SETTLE_MS) this.notices.delete(code);
      }
    }
    if (!this.cohort) {
      this.cohort = config.cohort;
      this.startTelemetry();
    }
    if (!this.engine) return;
    this.renewTokenOnAnnounce();
    if (Boolean(config.p2p.upload) !== this.upload) {
      this.upload = Boolean(config.p2p.upload);
      this.engine.applyDynamicConfig({ core: { isP2PUploadDisabled: !this.upload } });
    }
    if (config.stream?.kind === 'LIVE' && config.p2p.latencyBudgetMs !== previousBudget) {
      this.engine.applyDynamicConfig({ core: this.liveWindows() });
      this.adapter?.setTargetLatency(this.latencyBudgetS());
    }
    if (this.wantsP2p()) this.turnP2pOn();
    else this.turnP2pOff();
  }

  refreshMs() {
    return this.config?.refreshIntervalMs ?? DEFAULT_REFRESH_MS;
  }

  /** The next refresh in `delay` ms, unless one is due sooner; then every refresh interval (±20%). */
  scheduleRefresh(delay) {
    if (this.destroyed) return;
    if (this.refreshTimer && this.refreshDue <= Date.now() + delay) return;
    if (this.refreshTimer) this.cancel(this.refreshTimer);
    this.refreshDue = Date.now() + delay;
    this.refreshTimer = this.later(delay, async () => {
      this.refreshTimer = null;
      await this.refresh();
      if (this.p2pOn && this.trackerWaiting()) this.reconnect('TRACKER_UNREACHABLE', { report: false });
      if (!this.refused) this.scheduleRefresh(this.refreshMs() * (0.8 + Math.random() * 0.4));
    });
  }

  onBatteryChange() {
    const policy = this.config?.policy;
    if (!policy || !this.battery) return;
    const { battery, charging } = this.battery.read();
    const low = battery < policy.minBatteryForUpload;
    if (low !== this.batteryWasLow || charging !== this.wasCharging) {
      this.batteryWasLow = low;
      this.wasCharging = charging;
      this.scheduleRefresh(Math.random() * 1000);
    }
  }

  listenToPage() {
    this.pageListeners = [
      [window, 'pagehide', () => this.lastHeartbeat()],
      [document, 'visibilitychange', () => {
        if (document.visibilityState === 'hidden') this.telemetry?.beacon();
      }],
      [window, 'online', () => this.reconnect('TRACKER_UNREACHABLE', { report: false })],
    ];
    const connection = navigator.connection;
    if (connection?.addEventListener) {
      this.network = networkType();
      this.pageListeners.push([connection, 'change', () => {
        if (networkType() === this.network) return;
        this.network = networkType();
        // A new network changes the decision (cellular upload) and strands the tracker socket.
        this.reconnect('TRACKER_UNREACHABLE', { report: false });
      }]);
    }
    for (const [target, name, listener] of this.pageListeners) target.addEventListener(name, listener);
  }

  startTelemetry() {
    if (this.telemetry || !this.config?.telemetry?.url) return;
    this.telemetry = new TelemetrySender({ url: this.config.telemetry.url, key: this.options.key, sdk: SDK });
    this.lastBeatAt = performance.now();
    const interval = this.config.telemetry.intervalMs ?? DEFAULT_HEARTBEAT_MS;
    const timer = setInterval(() => this.heartbeat(), interval);
    this.timers.add({ cancel: () => clearInterval(timer) });
  }

  /** One heartbeat of PRODUCT.md: what happened since the previous one. */
  heartbeat({ final = false } = {}) {
    // The core makes a new tracker client when the rendition changes; it gets the hook within a heartbeat.
    this.renewTokenOnAnnounce();
    if (!this.telemetry || !this.cohort) return;
    const now = performance.now();
    const intervalMs = Math.min(3_600_000, Math.max(1, Math.round(now - this.lastBeatAt)));
    this.lastBeatAt = now;
    const clock = this.clock.read();
    const delta = (name, value) => {
      const change = value - this.reported[name];
      this.reported[name] = value;
      return Math.max(0, Math.round(change));
    };
    const playMs = Math.min(intervalMs, delta('playMs', clock.playMs));
    const rebufferMs = Math.min(intervalMs - playMs, delta('rebufferMs', clock.rebufferMs));
    const event = {
      eventId: crypto.randomUUID(),
      ts: new Date().toISOString(),
      sessionId: this.id,
      streamId: this.options.stream,
      cohort: this.cohort,
      intervalMs,
      cdnBytes: delta('cdnBytes', this.totals.cdnBytes),
      p2pBytesDown: delta('p2pBytesDown', this.totals.p2pBytesDown),
      p2pBytesUp: delta('p2pBytesUp', this.totals.p2pBytesUp),
      peers: Math.min(1000, this.peers.size),
      playMs,
      rebufferMs,
      device: this.device,
      network: networkType(),
      player: this.adapter.name.slice(0, 64),
      sdk: SDK,
      p2pReasons: this.reasons(),
    };
    const rendition = renditionOf(this.playerLevel(), this.config?.stream?.renditions);
    if (rendition) event.rendition = rendition;
    const infoHash = rendition && this.p2pOn && !this.destroyed ? this.swarmInfoHash() : null;
    if (infoHash) event.infoHash = infoHash;
    const latencyMs = this.destroyed ? null : this.adapter.latencyMs();
    if (latencyMs !== null) event.latencyMs = Math.min(3_600_000, latencyMs);
    if (this.options.nat) event.nat = this.options.nat;
    if (this.battery) Object.assign(event, this.battery.read());
    const idle = event.playMs + event.rebufferMs + event.cdnBytes + event.p2pBytesDown + event.p2pBytesUp === 0;
    // A paused or hidden player has nothing to say; the first heartbeat is sent anyway.
    if (idle && this.telemetry.sent + this.telemetry.queue.length > 0 && !final) return;
    this.telemetry.enqueue(event);
    if (!final) this.telemetry.flush();
  }

  lastHeartbeat() {
    this.heartbeat({ final: true });
    this.telemetry?.beacon();
  }

  /**
   * The info hash the tracker knows the main stream's swarm by, so the swarms view can name the rendition. The
   * core derives it from the swarm id and its own stream ids and keeps it inside: this reads it off the current
   * loader's tracker client (p2p-media-loader 2.x), and sends none if a later version moves it.
   */
  swarmInfoHash() {
    const hash = this.trackerClient()?.infoHash;
    return typeof hash === 'string' && /^[0-9a-f]{40}$/.test(hash) ? hash : null;
  }

  /**
   * Whether the core's tracker connection is down and left to the npm client's own reconnect, 10 s plus up to five
   * random minutes away: a socket closed cleanly without a notice (a proxy's, say) tells the SDK nothing else.
   */
  trackerWaiting() {
    const trackers = this.trackerClient()?._trackers;
    return Array.isArray(trackers) && trackers.length > 0 && trackers.every((tracker) => tracker.reconnecting === true);
  }

  /**
   * Makes each announce of the core's tracker client carry the newest token client-config gave, so the tracker
   * keeps the socket past its first token's expiry instead of ending it (a token lifted from a page is good for
   * minutes, a viewer's session for hours). The npm client merges what its getAnnounceOpts hook returns into every
   * announce; the core sets no hook of its own (p2p-media-loader 2.x). If a later version moves the client, the
   * socket ends at expiry and the SDK reconnects with a fresh token, as it did before.
   */
  renewTokenOnAnnounce() {
    const client = this.trackerClient();
    if (!client || client.destroyed) return;
    this.announceOpts ??= () => {
      const token = this.config?.signaling?.token;
      return token ? { token } : {};
    };
    client._getAnnounceOpts = this.announceOpts;
  }

  /** The npm tracker client of the core's current main-stream loader: p2p-media-loader 2.x internals, null if moved. */
  trackerClient() {
    try {
      return this.engine?.core?.mainStreamLoader?.p2pLoaders?.currentLoader?.trackerClient?.client ?? null;
    } catch {
      return null;
    }
  }

  /** The level playing now; the last one known once the player is gone. */
  playerLevel() {
    if (!this.destroyed) this.lastLevel = this.adapter?.level() ?? this.lastLevel;
    return this.lastLevel ?? null;
  }

  /** The codes that limit p2p now: client-config's, and what the tracker told since. */
  reasons() {
    const now = Date.now();
    const codes = new Set(this.config?.p2p?.reasons ?? []);
    for (const [code, notice] of this.notices) {
      if (notice.until > now) codes.add(code);
      else this.notices.delete(code);
    }
    return [...codes].slice(0, 20);
  }

  stats() {
    return {
      sessionId: this.id,
      cdnBytes: this.totals.cdnBytes,
      p2pBytesDown: this.totals.p2pBytesDown,
      p2pBytesUp: this.totals.p2pBytesUp,
      peers: this.peers.size,
      cohort: this.cohort,
      p2pEnabled: this.p2pOn,
      reasons: this.reasons(),
      rendition: renditionOf(this.playerLevel(), this.config?.stream?.renditions),
      ...this.clock.read(),
      heartbeatsSent: this.telemetry?.sent ?? 0,
    };
  }

  later(delay, action) {
    const handle = {
      timer: setTimeout(async () => {
        this.timers.delete(handle);
        if (this.destroyed) return;
        try {
          await action();
        } catch (error) {
          console.warn('meshcp:', error);
        }
      }, delay),
      cancel: () => clearTimeout(handle.timer),
    };
    this.timers.add(handle);
    return handle;
  }

  cancel(handle) {
    handle.cancel();
    this.timers.delete(handle);
  }

  async destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    for (const [target, name, listener] of this.pageListeners ?? []) target.removeEventListener(name, listener);
    this.battery?.stop();
    // The player stops first, so the last heartbeat holds every byte it received.
    await this.adapter.destroy();
    this.heartbeat({ final: true });
    this.clock.stop();
    // A send already under way holds older events; the last heartbeat goes after it.
    await this.telemetry?.inFlight;
    await this.telemetry?.flush();
    // Told to wait (429/503) or offline: the beacon still gets a chance after the page is gone.
    this.telemetry?.beacon();
  }
}
