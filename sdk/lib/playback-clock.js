// Play and rebuffer time, read from the video element's own events.

/**
 * Splits wall-clock time into playing, rebuffering and neither (paused, seeking, starting up, ended).
 * Rebuffering is a stall after playback had started, not the start-up wait and not a seek.
 */
export class PlaybackClock {
  constructor(video) {
    this.video = video;
    this.state = 'idle';
    this.since = performance.now();
    this.totals = { playMs: 0, rebufferMs: 0 };
    this.started = false;
    this.stalls = 0;
    this.listeners = {
      playing: () => {
        this.started = true;
        this.enter('playing');
      },
      waiting: () => {
        if (this.started && !this.video.seeking && !this.video.paused) {
          this.stalls += 1;
          this.enter('rebuffering');
        }
      },
      pause: () => this.enter('idle'),
      seeking: () => this.enter('idle'),
      seeked: () => {
        if (this.started && !this.video.paused && this.video.readyState >= 3) this.enter('playing');
      },
      ended: () => this.enter('idle'),
      emptied: () => this.enter('idle'),
    };
    for (const [name, listener] of Object.entries(this.listeners)) video.addEventListener(name, listener);
    if (!video.paused && video.readyState >= 3) this.listeners.playing();
  }

  enter(state) {
    this.account();
    this.state = state;
  }

  account() {
    const now = performance.now();
    const elapsed = now - this.since;
    this.since = now;
    if (this.state === 'playing') this.totals.playMs += elapsed;
    if (this.state === 'rebuffering') this.totals.rebufferMs += elapsed;
  }

  /** Whole milliseconds played and rebuffered since the session started. */
  read() {
    this.account();
    return { playMs: Math.floor(this.totals.playMs), rebufferMs: Math.floor(this.totals.rebufferMs) };
  }

  stop() {
    this.account();
    for (const [name, listener] of Object.entries(this.listeners)) this.video.removeEventListener(name, listener);
  }
}
