// What the player asks the control plane before and while it plays: GET /v1/client-config.

/** Thrown when the control plane refuses the request itself (bad key, origin, stream): asking again will not help. */
export class ConfigRefused extends Error {
  constructor(status, problem) {
    super(`client-config refused (${status}): ${problem?.detail ?? problem?.title ?? 'no detail'}`);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * Fetches client-config for one playback session, revalidating with the ETag so an unchanged config
 * costs a 304. `context()` is read on every fetch, so network and battery changes reach the decision.
 */
export class ClientConfigSource {
  constructor({ controlPlane, key, stream, rendition, session, context, fetchTimeoutMs = 5000 }) {
    this.base = new URL('/v1/client-config', controlPlane);
    this.key = key;
    this.stream = stream;
    this.rendition = rendition;
    this.session = session;
    this.context = context;
    this.fetchTimeoutMs = fetchTimeoutMs;
    this.etag = null;
    this.current = null;
    this.query = null;
  }

  /** The newest config; throws ConfigRefused on 4xx, another error when the control plane is unreachable. */
  async fetch() {
    const url = new URL(this.base);
    const params = { key: this.key, stream: this.stream, session: this.session, ...this.context() };
    if (this.rendition) params.rendition = this.rendition;
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    }
    // A changed query (network, battery) is a different resource: its ETag would not apply.
    const revalidate = this.etag && this.current && this.query === url.search;
    const response = await fetch(url, {
      headers: revalidate ? { 'If-None-Match': this.etag } : {},
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(this.fetchTimeoutMs),
    });
    if (response.status === 304 && this.current) {
      return this.current;
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 429) {
      throw new ConfigRefused(response.status, await response.json().catch(() => null));
    }
    if (!response.ok) {
      throw new Error(`client-config answered ${response.status}`);
    }
    this.current = await response.json();
    this.etag = response.headers.get('ETag');
    this.query = url.search;
    return this.current;
  }
}

const TV = /SmartTV|SMART-TV|Tizen|Web0S|webOS|HbbTV|BRAVIA|AFT[A-Z]|CrKey|Android TV|GoogleTV|PlayStation|Xbox/i;
const MOBILE = /Mobi|Android|iPhone|iPad|iPod/i;

/** desktop, mobile or tv, from what the browser says about itself. */
export function deviceClass(navigatorLike = globalThis.navigator) {
  const agent = navigatorLike?.userAgent ?? '';
  if (TV.test(agent)) return 'tv';
  if (navigatorLike?.userAgentData?.mobile || MOBILE.test(agent)) return 'mobile';
  return 'desktop';
}

const NETWORKS = { wifi: 'wifi', cellular: 'cellular', ethernet: 'ethernet', wimax: 'cellular' };

/** wifi, cellular, ethernet or unknown: the Network Information API tells only some browsers. */
export function networkType(navigatorLike = globalThis.navigator) {
  return NETWORKS[navigatorLike?.connection?.type] ?? 'unknown';
}

/**
 * The battery, where the browser exposes it (Chromium does, Firefox and Safari do not). Calls
 * `onChange` when the level or charging state changes, so the upload decision can follow.
 */
export async function watchBattery(onChange) {
  if (typeof navigator === 'undefined' || typeof navigator.getBattery !== 'function') return null;
  try {
    const battery = await navigator.getBattery();
    battery.addEventListener('levelchange', onChange);
    battery.addEventListener('chargingchange', onChange);
    return {
      read: () => ({ battery: Math.round(battery.level * 100) / 100, charging: battery.charging }),
      stop: () => {
        battery.removeEventListener('levelchange', onChange);
        battery.removeEventListener('chargingchange', onChange);
      },
    };
  } catch {
    return null;
  }
}
