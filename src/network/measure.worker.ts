import { parentPort, workerData } from 'node:worker_threads'
import { measure, type EdgeIndices } from './measures.ts'

// Measures a view off the server's event loop (src/network/measures-off-thread.ts): the links by
// node position, as measure() reads them in place, so the numbers are the same.
const m = measure(workerData as EdgeIndices)
parentPort!.postMessage(m, [m.degree.buffer, m.betweenness.buffer, m.community.buffer, m.offsets.buffer, m.adj.buffer] as ArrayBuffer[])
