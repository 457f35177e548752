// The tracker client inside p2p-media-loader-core (P2PTrackerClient, which a player's Core creates per
// stream) connects to our tracker twice, as two players of one stream, and each must see the other as a
// connected peer over a WebRTC data channel (@roamhq/wrtc).
// Usage: node p2p-media-loader-pair.mjs <announce URL for A> <announce URL for B> <stream URL>
// Prints one JSON line; exits 0 when both players have a connected peer, 1 otherwise.
// p2p-media-loader runs in browsers: give bittorrent-tracker the browser's view (WebSocket trackers only).
if (!globalThis.navigator) globalThis.navigator = { userAgent: 'node' }
process.browser = true
// The package index re-exports a CommonJS name that plain Node cannot; its modules load fine by path.
const { Core } = await import('./node_modules/p2p-media-loader-core/lib/core.js')
// Not exported by the package: imported by path, as the player's Core would construct it.
const { P2PTrackerClient } = await import('./node_modules/p2p-media-loader-core/lib/p2p/tracker-client.js')
const { EventTarget } = await import('./node_modules/p2p-media-loader-core/lib/utils/event-target.js')

const [urlA, urlB, streamUrl] = process.argv.slice(2)
const connected = {}
const clients = []

function start (name, url) {
  const config = { ...Core.DEFAULT_STREAM_CONFIG, announceTrackers: [url], rtcConfig: { iceServers: [] } }
  const stream = { type: 'main', index: 0, segments: new Map() }
  const handlers = {
    onPeerConnected: (peer) => {
      connected[name] = peer.id
      if (connected.A && connected.B) finish(0)
    },
    onSegmentRequested: () => {},
    onSegmentsAnnouncement: () => {}
  }
  // Each player has its own peer id; in one process the class would otherwise reuse one.
  P2PTrackerClient.clearPeerIdCache()
  const client = new P2PTrackerClient(streamUrl, stream, handlers, config, new EventTarget())
  client.start()
  clients.push(client)
}

function finish (code, reason) {
  console.log(JSON.stringify({ ok: code === 0, connected, reason }))
  for (const client of clients) client.destroy()
  setTimeout(() => process.exit(code), 100)
}

setTimeout(() => finish(1, 'timeout'), 25000)
start('A', urlA)
setTimeout(() => start('B', urlB), 500)
