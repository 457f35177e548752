// The npm bittorrent-tracker server as the benchmark's peer: WebSocket only, on the given port.
// Usage: node bench/bittorrent-tracker-server.mjs PORT (needs `npm ci --prefix interop` first)
import { Server } from '../interop/node_modules/bittorrent-tracker/index.js'

const port = Number(process.argv[2] ?? 18082)
const server = new Server({ udp: false, http: false, ws: true, stats: false })
server.on('error', err => { console.error(err.message); process.exit(1) })
server.on('warning', () => {})
server.listen(port, '127.0.0.1', () => console.log(`listening ${port}`))
