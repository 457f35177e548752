// Types of the mesh control plane's player SDK (meshcp.js). docs/player-integration.md is the guide.

/** What both players share. */
interface CommonOptions {
  /** The <video> element to play in. */
  video: HTMLMediaElement;
  /** The HLS or DASH manifest, as the viewer's CDN serves it. */
  manifestUrl: string;
  /** The organisation's publishable key, `mesh_pk_...`; this page's origin must be one of its allowed origins. */
  key: string;
  /** The stream's external id, as set in the dashboard or the API. */
  stream: string;
  /** The control plane's origin. Default: the origin this module was loaded from. */
  controlPlane?: string;
  /** The rendition id to ask client-config about, if the page pins one. */
  rendition?: string;
  /** Device class; default: read from the user agent. */
  device?: 'desktop' | 'mobile' | 'tv';
  /** NAT type, if the page measured it; default `unknown`. */
  nat?: 'open' | 'full-cone' | 'restricted' | 'port-restricted' | 'symmetric' | 'unknown';
}

export interface HlsJsOptions extends CommonOptions {
  player: 'hls.js';
  /** The hls.js class (`import Hls from 'hls.js'`). */
  Hls: unknown;
  /** `import { HlsJsP2PEngine } from 'p2p-media-loader-hlsjs'`. */
  HlsJsP2PEngine: unknown;
  /** hls.js config, passed through. `liveSyncDuration`/`liveSyncDurationCount` here win over the latency budget. */
  playerConfig?: Record<string, unknown>;
}

export interface ShakaOptions extends CommonOptions {
  player: 'shaka';
  /** The shaka-player namespace (`import shaka from 'shaka-player'`). */
  shaka: unknown;
  /** `import { ShakaP2PEngine } from 'p2p-media-loader-shaka'`. */
  ShakaP2PEngine: unknown;
  /** Shaka config, passed to `player.configure`. `streaming.liveSync` here wins over the latency budget. */
  playerConfig?: Record<string, unknown>;
}

export type AttachOptions = HlsJsOptions | ShakaOptions;

/** Cumulative since `attach`. */
export interface SessionStats {
  sessionId: string;
  /** Media bytes from the CDN. */
  cdnBytes: number;
  /** Media bytes from other viewers. */
  p2pBytesDown: number;
  /** Media bytes sent to other viewers. */
  p2pBytesUp: number;
  /** Peer connections open now. */
  peers: number;
  /** `p2p` or `holdout`; null until client-config answered. */
  cohort: 'p2p' | 'holdout' | null;
  /** Whether the loader may use peers now. */
  p2pEnabled: boolean;
  /** Codes of every rule limiting p2p now: client-config's and the tracker's (docs/player-integration.md). */
  reasons: string[];
  /** The stream's rendition id for the level playing now. */
  rendition: string | null;
  playMs: number;
  rebufferMs: number;
  /** Heartbeats the control plane acknowledged. */
  heartbeatsSent: number;
}

export interface Session {
  readonly sessionId: string;
  /** The hls.js or shaka.Player instance, for the page's own controls. */
  readonly player: unknown;
  stats(): SessionStats;
  /** Sends the last heartbeat, stops p2p and destroys the player. */
  destroy(): Promise<void>;
}

export const VERSION: string;

/**
 * Plays `manifestUrl` with p2p as the control plane decides and reports it every telemetry interval.
 * Rejects only on wrong arguments; a refusing or unreachable control plane leaves the video playing from
 * the CDN with the reason in `stats().reasons`.
 */
export function attach(options: AttachOptions): Promise<Session>;
