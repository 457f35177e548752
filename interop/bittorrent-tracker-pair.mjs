// Two npm bittorrent-tracker clients announce one info hash through our tracker, exchange offer and
// answer through it, open a WebRTC data channel (@roamhq/wrtc) and send a message each way.
// Usage: node bittorrent-tracker-pair.mjs <announce URL for A> <announce URL for B> <info hash hex>
// Prints one JSON line; exits 0 when both messages arrived, 1 otherwise.
import Client from 'bittorrent-tracker'
import { randomBytes } from 'node:crypto'

const [urlA, urlB, infoHash] = process.argv.slice(2)
const received = {}
const clients = []

function start (name, url) {
  const client = new Client({
    infoHash,
    peerId: randomBytes(20).toString('hex'),
    announce: [url],
    port: 6881,
    rtcConfig: { iceServers: [] }
  })
  client.on('error', (err) => finish(1, `${name} error: ${err.message}`))
  client.on('warning', (err) => console.error(`${name} warning: ${err.message}`))
  client.on('peer', (peer) => {
    const send = () => peer.send(`hello from ${name}`)
    if (peer.connected) send(); else peer.once('connect', send)
    peer.on('data', (data) => {
      received[name] = Buffer.from(data).toString()
      if (received.A && received.B) finish(0)
    })
    peer.on('error', (err) => console.error(`${name} peer error: ${err.message}`))
  })
  client.start()
  clients.push(client)
}

function finish (code, reason) {
  console.log(JSON.stringify({ ok: code === 0, received, reason }))
  for (const client of clients) client.destroy()
  setTimeout(() => process.exit(code), 100)
}

setTimeout(() => finish(1, 'timeout'), 25000)
start('A', urlA)
setTimeout(() => start('B', urlB), 500)
