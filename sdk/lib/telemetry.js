// Heartbeats to POST /v1/telemetry: queued, sent every interval, resent unchanged until acknowledged.

const MAX_EVENTS_PER_BATCH = 500;
// The control plane takes events up to 48 hours old; older ones would only be rejected.
const MAX_EVENT_AGE_MS = 47 * 3600 * 1000;
const MAX_QUEUED_EVENTS = 2000;
const MAX_BACKOFF_MS = 60_000;

/**
 * Sends queued heartbeats. A heartbeat keeps its eventId and ts when resent, so a retry after a 429,
 * a 503, a timeout or a lost answer is stored once (the control plane dedupes on them).
 */
export class TelemetrySender {
  constructor({ url, key, sdk }) {
    this.url = new URL(url);
    this.url.searchParams.set('key', key);
    this.sdk = sdk;
    this.queue = [];
    this.inFlight = null;
    this.notBefore = 0;
    this.failures = 0;
    this.sent = 0;
    this.lastStatus = null;
    this.refused = null;
  }

  enqueue(event) {
    if (this.refused) return;
    this.queue.push(event);
    if (this.queue.length > MAX_QUEUED_EVENTS) this.queue.splice(0, this.queue.length - MAX_QUEUED_EVENTS);
  }

  /** Sends what is queued unless a send is running or the control plane asked to wait. */
  flush() {
    if (this.inFlight || this.refused || this.queue.length === 0 || Date.now() < this.notBefore) {
      return this.inFlight ?? Promise.resolve();
    }
    this.dropTooOld();
    const batch = this.queue.slice(0, MAX_EVENTS_PER_BATCH);
    this.inFlight = this.post(batch).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  async post(batch) {
    let response;
    const body = this.body(batch);
    try {
      // text/plain keeps it a simple request: no preflight, and the same body sendBeacon sends.
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        body,
        credentials: 'omit',
        // keepalive lets a send started just before the page goes away finish, but only up to 64 KiB.
        keepalive: body.length < 60_000,
      });
    } catch {
      this.backOff(null);
      return;
    }
    this.lastStatus = response.status;
    if (response.ok) {
      this.failures = 0;
      this.sent += batch.length;
      this.queue.splice(0, batch.length);
      const answer = await response.json().catch(() => null);
      for (const rejected of answer?.rejected ?? []) {
        console.warn('meshcp: a heartbeat was rejected:', rejected.reason);
      }
      return;
    }
    if (response.status === 429 || response.status >= 500) {
      this.backOff(response.headers.get('Retry-After'));
      return;
    }
    // 400 on a whole batch means our own bug; 401/403/413/415 will not get better by resending.
    this.refused = await response.json().catch(() => ({ status: response.status }));
    this.queue.length = 0;
    console.error('meshcp: telemetry refused', this.refused);
  }

  backOff(retryAfter) {
    this.failures += 1;
    const seconds = Number(retryAfter);
    const wait = Number.isFinite(seconds) && seconds >= 0
      ? seconds * 1000
      : Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(this.failures, 6)) * (0.5 + Math.random() / 2);
    this.notBefore = Date.now() + wait;
  }

  dropTooOld() {
    const oldest = Date.now() - MAX_EVENT_AGE_MS;
    const keep = this.queue.filter((event) => Date.parse(event.ts) >= oldest);
    this.queue.splice(0, this.queue.length, ...keep);
  }

  /** The last chance when the page goes away: whatever is queued, through sendBeacon. */
  beacon() {
    if (this.refused || this.queue.length === 0 || typeof navigator?.sendBeacon !== 'function') return false;
    this.dropTooOld();
    const batch = this.queue.slice(0, MAX_EVENTS_PER_BATCH);
    const queued = navigator.sendBeacon(this.url, new Blob([this.body(batch)], { type: 'text/plain;charset=UTF-8' }));
    if (queued) this.queue.splice(0, batch.length);
    return queued;
  }

  body(events) {
    return JSON.stringify({ batchId: crypto.randomUUID(), sdk: this.sdk, events });
  }
}
