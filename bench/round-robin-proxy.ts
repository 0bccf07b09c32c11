import http from 'node:http'

// A tiny round-robin HTTP proxy for bench/instances.bench.ts (a stand-in for a load balancer):
// `node bench/round-robin-proxy.ts <port> <upstream URL>…`; each request goes to the next upstream.
const [port, ...upstreams] = process.argv.slice(2)
const targets = upstreams.map((u) => new URL(u))
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
let next = 0

http
  .createServer((req, res) => {
    const target = targets[next++ % targets.length]!
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    req.pipe(upstream)
  })
  .listen(Number(port), '127.0.0.1')
