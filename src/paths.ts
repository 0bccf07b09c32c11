import fs from 'node:fs'
import path from 'node:path'

/** The project root, whether running from src/ (TypeScript) or dist/src/ (the build). */
function findRoot(start: string): string {
  let dir = start
  while (!fs.existsSync(path.join(dir, 'views'))) {
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error(`views/ not found above ${start}`)
    dir = parent
  }
  return dir
}

export const ROOT = findRoot(import.meta.dirname)
export const VIEWS_DIR = path.join(ROOT, 'views')
export const STATIC_DIR = path.join(ROOT, 'static')
