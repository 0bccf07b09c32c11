/**
 * Loaded into the server by bench:load (`node --import ./bench/loop-stall-probe.ts`): writes a line
 * `{"loop_stall_ms":N}` to stderr whenever the event loop did not turn for over a second. While
 * it does not turn the server reads no socket, and a keep-alive timer that falls due meanwhile
 * (Node's 5 s + 1 s) closes its connection with the client's next request unread: ECONNRESET.
 */
const TICK_MS = 50
const REPORT_OVER_MS = 1000
let last = performance.now()
setInterval(() => {
  const now = performance.now()
  const stall = now - last - TICK_MS
  last = now
  if (stall > REPORT_OVER_MS) process.stderr.write(`${JSON.stringify({ loop_stall_ms: Math.round(stall) })}\n`)
}, TICK_MS).unref()
