import { parentPort, workerData } from 'node:worker_threads'
import { betweennessRest, measureButHalf, type EdgeIndices } from './measures.ts'

// Measures a view off the server's event loop (src/network/measures-off-thread.ts): the links by
// node position, as measure() reads them in place, so the numbers are the same. Two of these run
// at once: one measures all but the second half of betweenness's sources, the other counts that half.
const { data, part } = workerData as { data: EdgeIndices; part: 'but-half' | 'rest' }
if (part === 'rest') {
  const rest = betweennessRest(data)
  parentPort!.postMessage(rest, [rest.buffer] as ArrayBuffer[])
} else {
  const m = measureButHalf(data)
  parentPort!.postMessage(m, [m.degree.buffer, m.first.buffer, m.community.buffer, m.offsets.buffer, m.adj.buffer] as ArrayBuffer[])
}
