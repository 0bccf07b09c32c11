import { Worker } from 'node:worker_threads'
import { edgeIndices, finishBetweenness, measure, type EdgeIndices, type MeasureInput, type Measures, type measureButHalf } from './measures.ts'

/**
 * Views from this many nodes are measured in worker threads. Measuring is seconds of work for a
 * large view (the whole register at the suite's scale 1: 2.7 s — the simple graph 0.7 s, betweenness
 * 1.1 s, Louvain 0.8 s; 10.8 s while Louvain ran on a graphology graph),
 * and in place it stopped the server — every other user's request — for as long. Below, a
 * worker's start (about 0.1 s) costs more than it saves.
 */
export const MEASURE_OFF_THREAD_FROM = 5000

/**
 * measure(), off the event loop for large views; the same numbers either way. Two workers: one
 * measures everything but the second half of betweenness's sources, the other counts that half
 * (betweenness is most of the work: 0.8–0.9 s of 1 s for the whole register at 50 000 contacts,
 * while the server's own thread waits). `indices`: the input's edgeIndices when the caller has
 * them already; each worker is handed a copy, so they stay the caller's.
 */
export async function measureOffThread(input: MeasureInput, from = MEASURE_OFF_THREAD_FROM, indices?: EdgeIndices): Promise<Measures> {
  if (input.nodes.length < from) return measure(indices ?? input)
  const data = indices ?? edgeIndices(input)
  const hit = lastMeasured.find((l) => sameLinks(l.data, data))
  if (hit) return hit.m
  const m = await measureInWorkers(data)
  lastMeasured.unshift({ data, m })
  lastMeasured.length = Math.min(lastMeasured.length, KEEP_MEASURED)
  return m
}

/**
 * The last large views measured, with the links they were measured on: a view with exactly these
 * links — the same nodes in the same order, the same links and weights, as after an edit of a
 * name, a phone number or a county — has the same measures (betweenness's sample and the
 * communities are seeded), and is not measured again (0.8–1 s of two workers for the whole
 * register at 200 000 contacts, after every write). Shared: never modified. Per process, not per
 * database: the measures are a function of the links alone. Two such views are held for as long as
 * the process runs (about 25 MB each at 200 000 contacts).
 */
const lastMeasured: { data: EdgeIndices; m: Measures }[] = []
const KEEP_MEASURED = 2

function sameLinks(a: EdgeIndices, b: EdgeIndices): boolean {
  const bytes = (x: Int32Array | Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength)
  return a.n === b.n && a.source.length === b.source.length && bytes(a.source).equals(bytes(b.source)) && bytes(a.target).equals(bytes(b.target)) && bytes(a.weight).equals(bytes(b.weight))
}

async function measureInWorkers(data: EdgeIndices): Promise<Measures> {
  const copy = (): EdgeIndices => ({ n: data.n, source: data.source.slice(), target: data.target.slice(), weight: data.weight.slice() })
  const workers: Worker[] = []
  try {
    const [m, rest] = await Promise.all([
      inWorker<ReturnType<typeof measureButHalf>>(copy(), 'but-half', workers),
      inWorker<Float64Array>(copy(), 'rest', workers),
    ])
    const { first, sourceCount, ...others } = m
    return { ...others, betweenness: finishBetweenness(data.n, first, rest, sourceCount) }
  } catch (err) {
    // One failed: the other's work is for nothing, and would hold a core to its end.
    for (const w of workers) void w.terminate()
    throw err
  }
}

function inWorker<T>(data: EdgeIndices, part: 'but-half' | 'rest', workers: Worker[]): Promise<T> {
  // The sources run as .ts, the build as .js.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(`./measure.worker${ext}`, import.meta.url), {
      workerData: { data, part },
      transferList: [data.source.buffer, data.target.buffer, data.weight.buffer] as ArrayBuffer[],
    })
    workers.push(worker)
    worker.once('message', (m: T) => resolve(m))
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`measure worker stopped with exit code ${code}`))
    })
  })
}
