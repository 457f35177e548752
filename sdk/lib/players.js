// The two players we drive, behind one small interface: start, the p2p engine (if any), every media
// segment the player itself received, its current level, live latency, destroy.

/** hls.js, with p2p-media-loader-hlsjs when `core` (its core config) is given. */
export function hlsJsPlayer({ Hls, HlsJsP2PEngine, video, manifestUrl, playerConfig, core, targetLatencyS, onSegment }) {
  const ownLiveSync = playerConfig?.liveSyncDuration !== undefined || playerConfig?.liveSyncDurationCount !== undefined;
  const config = { ...playerConfig };
  if (targetLatencyS && !ownLiveSync) config.liveSyncDuration = targetLatencyS;
  const hls = core ? new (HlsJsP2PEngine.injectMixin(Hls))({ ...config, p2p: { core } }) : new Hls(config);
  hls.on(Hls.Events.FRAG_LOADED, (_event, data) => {
    const { frag, payload } = data;
    const bytes = payload?.byteLength ?? frag?.stats?.loaded ?? 0;
    onSegment(frag.url, bytes);
  });
  return {
    name: `hls.js ${Hls.version ?? ''}`.trim(),
    engine: core ? hls.p2pEngine : null,
    instance: hls,
    async start() {
      hls.attachMedia(video);
      hls.loadSource(manifestUrl);
    },
    level() {
      const level = hls.levels?.[hls.currentLevel];
      return level ? { width: level.width, height: level.height, bitrate: level.bitrate } : null;
    },
    isLive() {
      return Boolean(hls.levels?.[hls.currentLevel]?.details?.live);
    },
    latencyMs() {
      return this.isLive() && Number.isFinite(hls.latency) ? Math.round(hls.latency * 1000) : null;
    },
    /** The live latency the player aims at, where the broadcaster left it to us. */
    setTargetLatency(seconds) {
      if (!ownLiveSync) hls.targetLatency = seconds;
    },
    destroy() {
      hls.destroy();
    },
  };
}

/** Shaka Player, with p2p-media-loader-shaka when `core` is given. */
export function shakaPlayer({ shaka, ShakaP2PEngine, video, manifestUrl, playerConfig, core, targetLatencyS,
  onSegment }) {
  const ownLiveSync = playerConfig?.streaming?.liveSync !== undefined;
  let engine = null;
  if (core) {
    ShakaP2PEngine.registerPlugins(shaka);
    engine = new ShakaP2PEngine({ core }, shaka);
  }
  const player = new shaka.Player();
  const { RequestType } = shaka.net.NetworkingEngine;
  return {
    name: `shaka ${shaka.Player.version ?? ''}`.trim(),
    engine,
    instance: player,
    async start() {
      await player.attach(video);
      // Shaka buffers 10 s ahead by default, all of it inside the loader's 15 s high-demand window, which
      // goes to the CDN: peers would never be asked. 30 s, as hls.js buffers, leaves them half of it.
      if (core && playerConfig?.streaming?.bufferingGoal === undefined) {
        player.configure({ streaming: { bufferingGoal: 30 } });
      }
      if (playerConfig) player.configure(playerConfig);
      if (targetLatencyS) this.setTargetLatency(targetLatencyS);
      engine?.bindShakaPlayer(player);
      if (engine) player.getNetworkingEngine().registerRequestFilter(segmentIndexFeeder(engine, player, RequestType));
      player.getNetworkingEngine().registerResponseFilter((type, response) => {
        if (type !== RequestType.SEGMENT) return;
        onSegment(response.originalUri ?? response.uri, response.data.byteLength);
      });
      await player.load(manifestUrl);
    },
    level() {
      const track = player.getVariantTracks().find((variant) => variant.active);
      return track ? { width: track.width, height: track.height, bitrate: track.videoBandwidth ?? track.bandwidth } : null;
    },
    isLive() {
      return player.isLive();
    },
    latencyMs() {
      if (!player.isLive()) return null;
      const behind = player.seekRange().end - video.currentTime;
      return Number.isFinite(behind) ? Math.max(0, Math.round(behind * 1000)) : null;
    },
    setTargetLatency(seconds) {
      if (!ownLiveSync) player.configure({ streaming: { liveSync: { enabled: true, targetLatency: seconds } } });
    },
    async destroy() {
      engine?.destroy();
      await player.destroy();
    },
  };
}

/**
 * p2p-media-loader-shaka 2.2.2 tells its core a stream's segments from the references its segment index holds
 * when Shaka first reads it, and for VOD never again (ManifestParserDecorator.hookSegmentIndex). Shaka 5 builds
 * the references of a DASH SegmentTimeline lazily, one per get() (shaka.dash.TimelineSegmentIndex), so the core
 * knew one segment per stream: every later request missed core.hasSegment() and went to the CDN past the core
 * (Loader.loadSegment -> defaultLoad). Peers connected and never had anything to exchange. Before each DASH
 * segment request this hands the core the whole index of the stream asked for (iterating it makes Shaka build
 * every reference): once per stream, and again whenever a live index grows or evicts.
 * segmentManager is the engine's own, not public API: without it this does nothing.
 */
function segmentIndexFeeder(engine, player, RequestType) {
  const told = new WeakMap();
  return (type, _request, context) => {
    const stream = context?.stream;
    const index = stream?.segmentIndex;
    const manager = engine.segmentManager;
    if (type !== RequestType.SEGMENT || !index || typeof manager?.updateStreamSegments !== 'function') return;
    if (player.getManifestType?.() !== 'DASH') return;
    const shape = `${index.getNumEvicted?.()}:${index.getNumReferences?.()}`;
    if (told.get(stream) === shape) return;
    told.set(stream, shape);
    try {
      manager.updateStreamSegments(stream);
    } catch (error) {
      console.warn('meshcp: could not list the segments of a DASH stream to p2p-media-loader', error);
    }
  };
}
