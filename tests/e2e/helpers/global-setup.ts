import { templateDataDir } from './server.ts'

/**
 * Builds the browser tests' database template (server.ts) once, before the files start: they run
 * two at a time, and each would otherwise build the same template beside the other on a first run.
 * A first start (initdb in WebAssembly and every migration) takes seconds on a quiet machine; the
 * generous limit is for a loaded one (no hook timeout applies here).
 */
export default async function setup() {
  if (process.env.E2E_FRESH_DB !== '1') await templateDataDir(300_000)
}
