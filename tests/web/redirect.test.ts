import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sameOriginPath } from '../../src/web/redirect.ts'

describe('redirects stay on our origin', () => {
  it('keeps a path on this site with its query and fragment', () => {
    expect(sameOriginPath('/contacts?kind=ngo#list')).toBe('/contacts?kind=ngo#list')
    expect(sameOriginPath('/')).toBe('/')
  })

  it('refuses every target that a browser would take elsewhere', () => {
    for (const evil of [
      '//evil.example/phish', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', '\\\\evil.example',
      'https://evil.example/', 'javascript:alert(1)', 'evil.example', ' /x', '', undefined, null,
      // Normalised by the parser into a path a browser takes elsewhere.
      '/.//evil.example', '/a/..//evil.example', '/./\\evil.example',
    ]) expect(sameOriginPath(evil, '/home'), String(evil)).toBe('/home')
  })

  it('is the only way the code redirects (htmx redirects go through web/htmx.ts, which uses it)', () => {
    const src = join(import.meta.dirname, '../../src')
    const files = readdirSync(src, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith('.ts'))
      .map((d) => join(d.parentPath, d.name).slice(src.length + 1))
    const text = (f: string) => readFileSync(join(src, f), 'utf8')
    expect(files.filter((f) => f !== 'web/redirect.ts' && /\.redirect\(/.test(text(f)))).toEqual([])
    expect(files.filter((f) => f !== 'web/htmx.ts' && /'HX-(Redirect|Location)'/.test(text(f)))).toEqual([])
  })
})
