import { parentPort, workerData } from 'node:worker_threads'
import { forceAtlas2Positions, keepPlaces, type LayoutInput } from './layout-fa2.ts'

// Lays a graph out off the server's event loop (src/network/layout.ts): from the places of an
// earlier state of the view when it has them for nearly all its nodes, else ForceAtlas2.
const { previous, ...input } = workerData as LayoutInput & { previous?: Record<string, [number, number]> }
parentPort!.postMessage((previous && keepPlaces(input as LayoutInput, previous)) || forceAtlas2Positions(input as LayoutInput))
