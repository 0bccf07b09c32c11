import { Hono } from 'hono'
import { z } from 'zod'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from '../../src/app-env.ts'
import { requireRole } from '../../src/auth/roles.ts'
import { features } from '../../src/features.ts'
import { ErasedPersonError, StaleVersionError } from '../../src/web/errors.ts'
import { saveForm } from '../../src/web/form-save.ts'
import type { Feature } from '../../src/web/plug-in.ts'
import { formPost, testApp, type TestApp } from '../helpers/app.ts'

// A form of the test's own whose write meets the refusal the path names: saveForm's answer to each.
const refusals = { stale: () => new StaleVersionError({ id: 'r1', version: 3 }), erased: () => new ErasedPersonError() }
let reloads = 0
const probe: Feature = {
  name: 'form-probe',
  routes: new Hono<AppEnv>().post('/form-probe/:refusal', requireRole('editor'), (c) => {
    const refusal = refusals[c.req.param('refusal') as keyof typeof refusals]
    const record = { id: 'r1', version: 2 }
    return saveForm(c, {
      record, values: { name: 'Typed', version: '2' }, parsed: z.object({ name: z.string() }).safeParse({ name: 'Typed' }),
      write: async () => { throw refusal() },
      reload: async (r) => { reloads++; return { ...r, version: 3 } },
      show: (_r, values, _errors, status, stored) => c.text(`form again: ${values.name} at version ${values.version}${stored ? ', stored beside it' : ''}`, status),
      done: () => c.text('saved'),
    })
  }),
}

let t: TestApp
let cookie: string
beforeAll(async () => {
  t = await testApp({}, undefined, [...features, probe])
  cookie = (await t.browser('editor')).cookie
})
afterAll(() => t.close())

describe('saveForm and a conflict', () => {
  it('answers a stale version with the stored record beside what was typed, at the stored version', async () => {
    const res = await t.request('/form-probe/stale', formPost({}, cookie))
    expect(res.status).toBe(409)
    expect(await res.text()).toBe('form again: Typed at version 3, stored beside it')
  })

  it('answers any other conflict with its reason, not a reloaded form inviting the editor to save again', async () => {
    const before = reloads
    const res = await t.request('/form-probe/erased', formPost({}, `${cookie}; lang=en`))
    expect(res.status).toBe(409)
    const page = await res.text()
    expect(page).toContain('This person was erased: the record cannot be edited')
    expect(page).not.toContain('form again')
    expect(reloads).toBe(before)
  })
})
