// The demo page: the stream played through the SDK, as a broadcaster's page would, and its numbers each second.
// The player libraries come through the page's import map (and, for Shaka, a classic script) from the host
// configured as meshcp.demo.player-libraries-url.

const KEY_STORAGE = 'meshcp.demo.key';
const root = document.getElementById('demo');
const form = document.getElementById('demo-form');
const keyInput = document.getElementById('demo-key');
const video = document.getElementById('demo-video');
const errorBox = document.getElementById('demo-error');
let session = null;
let ticker = null;
// The key of the session playing or starting, and which start is the latest: the page plays a remembered key
// on load, and a start still loading its libraries must not leave a second session running beside the next one.
let playingKey = null;
let starts = 0;

if (!keyInput.value) keyInput.value = localStorage.getItem(KEY_STORAGE) ?? '';

form.addEventListener('submit', (event) => {
  event.preventDefault();
  play(keyInput.value.trim());
});
// A remembered key plays at once, so that a second tab is one click (the link) away from sharing.
if (keyInput.value) play(keyInput.value.trim());

async function play(key) {
  showError(null);
  if (!key.startsWith('mesh_pk_')) {
    showError('Paste a publishable key (mesh_pk_...).');
    return;
  }
  localStorage.setItem(KEY_STORAGE, key);
  if (key === playingKey) {
    // Play again with the same key (the page had started it on load): the same session goes on. A new one
    // would share the page's peer ids (p2p-media-loader keeps one per stream for the page) under another
    // session, and the tracker refuses them while the old socket is open.
    video.play().catch(() => {});
    return;
  }
  playingKey = key;
  const start = ++starts;
  await stop();
  const player = root.dataset.player;
  let libraries;
  try {
    libraries = player === 'shaka' ? await shakaLibraries() : await hlsJsLibraries();
  } catch (error) {
    if (start === starts) playingKey = null; // Play tries again
    showError(`Could not load the player libraries from ${root.dataset.libraries} (${error.message ?? error}). `
      + 'Self-hosted? Set meshcp.demo.player-libraries-url to a mirror this browser can reach.');
    return;
  }
  try {
    const { attach } = await import(root.dataset.sdk);
    const started = await attach({ player, ...libraries, video, manifestUrl: root.dataset.manifest, key,
      stream: root.dataset.stream });
    if (start !== starts) {
      await started.destroy(); // another key was played meanwhile
      return;
    }
    session = started;
    window.meshcpDemo = session;
    video.play().catch(() => {}); // muted, so browsers allow it; otherwise the controls are there
    ticker = setInterval(show, 1000);
    show();
  } catch (error) {
    if (start === starts) playingKey = null;
    showError(`Could not start the player: ${error.message ?? error}`);
  }
}

async function stop() {
  clearInterval(ticker);
  if (session) await session.destroy();
  session = null;
}

async function hlsJsLibraries() {
  const [{ default: Hls }, { HlsJsP2PEngine }] = await Promise.all([import('hls.js'), import('p2p-media-loader-hlsjs')]);
  return { Hls, HlsJsP2PEngine };
}

async function shakaLibraries() {
  if (!window.shaka) {
    await new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = root.dataset.shakaScript;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`Shaka Player did not load from ${script.src}`));
      document.head.append(script);
    });
  }
  const { ShakaP2PEngine } = await import('p2p-media-loader-shaka');
  return { shaka: window.shaka, ShakaP2PEngine };
}

function show() {
  if (!session) return;
  const stats = session.stats();
  const total = stats.cdnBytes + stats.p2pBytesDown;
  set('p2pBytesDown', bytes(stats.p2pBytesDown));
  set('cdnBytes', bytes(stats.cdnBytes));
  set('offload', total > 0 ? `${((100 * stats.p2pBytesDown) / total).toFixed(1)} %` : '–');
  set('p2pBytesUp', bytes(stats.p2pBytesUp));
  set('peers', String(stats.peers));
  set('cohort', stats.cohort ?? 'none (no client-config)');
  set('p2pEnabled', stats.p2pEnabled ? 'on' : 'off');
  set('reasons', stats.reasons.length > 0 ? stats.reasons.join(', ') : 'none');
  set('rendition', stats.rendition ?? '–');
  set('heartbeatsSent', String(stats.heartbeatsSent));
}

function set(name, text) {
  document.getElementById(`stat-${name}`).textContent = text;
}

function bytes(count) {
  if (count < 1024) return `${count} B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} KiB`;
  return `${(count / (1024 * 1024)).toFixed(2)} MiB`;
}

function showError(message) {
  errorBox.hidden = !message;
  errorBox.textContent = message ?? '';
}
