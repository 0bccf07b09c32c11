import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { features } from '../../src/features.ts'
import { ORIGIN, testApp, type TestApp } from '../helpers/app.ts'

const SRC = join(import.meta.dirname, '../../src')
// auth is plumbing (sessions, roles, CSRF) that also brings the log-in pages as a feature.
const PLUMBING = ['auth', 'db', 'register', 'web']
const featureFolders = readdirSync(SRC, { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(SRC, d.name)).includes('feature.ts'))
  .map((d) => d.name)

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)].map((m) => m[1]!)
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => join(d.parentPath, d.name))
}

describe('features plug in', () => {
  it('lists every feature folder once in src/features.ts', () => {
    expect(featureFolders.length).toBeGreaterThan(20)
    expect(features.length).toBe(featureFolders.length)
  })

  const isFeature = (spec: string) => featureFolders.some((f) => !PLUMBING.includes(f) && spec.includes(`/${f}/`))

  it('keeps the plumbing (src/web) free of imports of any feature', () => {
    const offending = filesUnder(join(SRC, 'web')).flatMap((file) =>
      importsOf(file)
        .filter(isFeature)
        .map((spec) => `${file.slice(SRC.length)} imports ${spec}`),
    )
    expect(offending).toEqual([])
  })

  it('has app.ts import no feature: it mounts the list', () => {
    const spec = importsOf(join(SRC, 'app.ts')).filter(isFeature)
    expect(spec).toEqual([])
  })

  it('takes the shared vocabulary (dates, names, edge types, counties) from src/register, never from another feature', () => {
    expect(vocabularyBorrowed(filesUnder(SRC))).toEqual([])
    // The check itself: the import that src/register/vocabulary.ts replaced is caught.
    const old = join(SRC, 'plans/plan-view.ts')
    expect(vocabularyBorrowed([old], { [old]: "import { organisationNames, today } from '../contacts/contacts.repo.ts'\n" }))
      .toEqual(['/plans/plan-view.ts imports organisationNames, today from ../contacts/contacts.repo.ts'])
  })
})

/** Names that several features need; they live in src/register (vocabulary.ts, counties.ts). */
const VOCABULARY = ['today', 'organisationNames', 'themeNames', 'COUNTIES', 'EDGE_TYPES', 'RELATIONSHIP_TYPES']

/** Imports of a vocabulary name from another feature's files (its repo above all). */
function vocabularyBorrowed(files: string[], text: Record<string, string> = {}): string[] {
  return files.flatMap((file) => {
    const own = file.slice(SRC.length + 1).split('/')[0]!
    const source = text[file] ?? readFileSync(file, 'utf8')
    return [...source.matchAll(/^import (?:type )?\{([^}]*)\} from '(\.\.\/([^/]+)\/[^']+)'/gm)]
      .filter((m) => m[3] !== own && !PLUMBING.includes(m[3]!))
      .flatMap((m) => {
        const names = m[1]!.split(',').map((n) => n.trim().replace(/^type /, '').split(' as ')[0]!).filter((n) => VOCABULARY.includes(n))
        return names.length ? [`${file.slice(SRC.length)} imports ${names.join(', ')} from ${m[2]}`] : []
      })
  })
}

describe('mount order', () => {
  let normal: TestApp
  let reversed: TestApp
  beforeAll(async () => {
    normal = await testApp()
    reversed = await testApp({}, undefined, [...features].reverse())
  })
  afterAll(async () => {
    await normal.close()
    await reversed.close()
  })

  it('answers fixed paths beside ids (/contacts/new, /activities/calendar) whatever order the features are mounted in', async () => {
    for (const t of [normal, reversed]) {
      const b = await t.browser('editor')
      for (const path of ['/contacts/new', '/organisations/new', '/activities/calendar', '/organisations/merge?ids=x', '/plans/coverage']) {
        const res = await t.request(path, { headers: { cookie: b.cookie, origin: ORIGIN } })
        expect(res.status, path).not.toBe(404)
        expect(res.status, path).toBeLessThan(500)
      }
      const missing = await t.request('/contacts/00000000-0000-4000-8000-000000000000', { headers: { cookie: b.cookie } })
      expect(missing.status).toBe(404)
    }
  })

  it('builds the main menu from the features, in their order', async () => {
    const b = await reversed.browser('admin')
    const html = await (await reversed.request('/', { headers: { cookie: b.cookie } })).text()
    const menu = html.slice(html.indexOf('class="main-nav"'), html.indexOf('</nav>'))
    const known = [
      '/', '/organisations', '/contacts', '/projects', '/products', '/themes', '/alliances', '/bodies', '/stakeholder-map', '/network',
      '/activities', '/plans', '/admin/users',
    ]
    // Features added later may bring entries of their own between these.
    const hrefs = [...menu.matchAll(/href="([^"]+)"/g)].map((m) => m[1]).filter((h) => known.includes(h!))
    expect(hrefs).toEqual([
      '/', '/organisations', '/contacts', '/projects', '/products', '/themes', '/alliances', '/bodies', '/stakeholder-map', '/network',
      '/activities', '/plans', '/admin/users',
    ])
  })
})
