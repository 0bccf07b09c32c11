import { parentPort, workerData } from 'node:worker_threads'
import { forceAtlas2Positions, type LayoutInput } from './layout-fa2.ts'

// Lays a graph out off the server's event loop (src/network/layout.ts).
parentPort!.postMessage(forceAtlas2Positions(workerData as LayoutInput))
