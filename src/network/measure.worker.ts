import { parentPort, workerData } from 'node:worker_threads'
import { measure } from './measures.ts'
import type { EdgeIndices } from './measures-off-thread.ts'

// Measures a view off the server's event loop (src/network/measures-off-thread.ts). Nodes are
// named by their position, so the simple graph, the sampled sources and Louvain's order are the
// same as measuring in place.
const { n, source, target, weight } = workerData as EdgeIndices
const nodes = Array.from({ length: n }, (_, i) => ({ id: String(i) }))
const edges = Array.from(source, (s, k) => ({ source: String(s), target: String(target[k]), weight: weight[k] }))
const m = measure({ nodes, edges })
parentPort!.postMessage(m, [m.degree.buffer, m.betweenness.buffer, m.community.buffer, m.offsets.buffer, m.adj.buffer] as ArrayBuffer[])
