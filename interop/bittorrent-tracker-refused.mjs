// One npm bittorrent-tracker client announces through our tracker with a token it refuses. The refusal must reach
// the client as a 'warning' (the client drops an announce reply without the announce's info_hash, and older
// versions crash on it), and the client must survive the socket being closed after it.
// Usage: node bittorrent-tracker-refused.mjs <announce URL> <info hash hex>
// Prints one JSON line; exits 0 once the refusal was heard and the client is waiting to reconnect, 1 otherwise.
import Client from 'bittorrent-tracker'
import { randomBytes } from 'node:crypto'

const [url, infoHash] = process.argv.slice(2)
const warnings = []
let refused = false
let finished = false

process.on('uncaughtException', (err) => finish(1, `crashed: ${err.stack}`))

const client = new Client({
  infoHash,
  peerId: randomBytes(20).toString('hex'),
  announce: [url],
  port: 6881,
  rtcConfig: { iceServers: [] }
})
client.on('error', (err) => finish(1, `error: ${err.message}`))
client.on('warning', (err) => {
  warnings.push(err.message)
  if (err.message.includes('TOKEN_INVALID')) refused = true
})
client.start()

// The tracker closes the refused socket right after the refusal; the client then schedules a reconnect.
const watch = setInterval(() => {
  const tracker = client._trackers[0]
  if (refused && tracker && tracker.reconnecting) finish(0)
}, 50)

function finish (code, reason) {
  if (finished) return
  finished = true
  clearInterval(watch)
  console.log(JSON.stringify({ ok: code === 0, refused, warnings, reason }))
  client.destroy()
  setTimeout(() => process.exit(code), 100)
}

setTimeout(() => finish(1, 'timeout'), 20000)
