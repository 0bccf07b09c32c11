import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { createRecord } from '../db/write.ts'
import { nullableText } from '../register/fields.ts'
import { StaleVersionError } from '../web/errors.ts'
import { setFlash } from '../web/flash.ts'
import { formValues, textOf } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { fieldErrors } from '../web/validate.ts'
import { decisionInput, listDecisions } from './retention-decisions.ts'
import { registerSettings, saveRegisterSettings } from './settings.repo.ts'

const FIELDS = ['purpose', 'controller', 'dpo_contact', 'recipients', 'source'] as const
const settingsInput = z.strictObject(Object.fromEntries(FIELDS.map((f) => [f, nullableText(5000)])) as Record<(typeof FIELDS)[number], ReturnType<typeof nullableText>>)
const DECISION_FIELDS = ['reference', 'title', 'decided_on', 'covers', 'retention_period'] as const

async function page(c: Context<AppEnv>, values: Record<string, string>, errors: Record<string, string>, decision: Record<string, string>, decisionErrors: Record<string, string>, status = 200) {
  const db = c.get('db')
  return render(c, 'privacy/settings', {
    title: c.get('t')('settings.title'), fields: FIELDS, values, errors, decisions: await listDecisions(db), decision, decisionErrors, decisionFields: DECISION_FIELDS,
  }, status)
}

/** `/admin/privacy`: the register's purpose, controller and DPO, and the culling decisions (admin). */
export const privacySettingsPages = new Hono<AppEnv>()
  .get('/', requireRole('admin'), async (c) => {
    const s = await registerSettings(c.get('db'))
    const values = Object.fromEntries([...FIELDS.map((f) => [f, s[f] ?? '']), ['version', String(s.version)]])
    return page(c, values, {}, {}, {})
  })
  .post('/', requireRole('admin'), async (c) => {
    const f = await formValues(c)
    const values = Object.fromEntries([...FIELDS, 'version'].map((k) => [k, textOf(f[k]) ?? '']))
    const parsed = settingsInput.safeParse(Object.fromEntries(FIELDS.map((k) => [k, values[k]])))
    if (!parsed.success) return page(c, values, fieldErrors(parsed.error, c.get('t')), {}, {}, 422)
    try {
      await saveRegisterSettings(c.get('db'), parsed.data as never, Number(values.version) || 0, { userId: c.get('user')!.id })
    } catch (err) {
      if (err instanceof StaleVersionError) return page(c, values, { _: c.get('t')('form.conflict') }, {}, {}, 409)
      throw err
    }
    setFlash(c, 'settings.saved')
    return redirectAfterWrite(c, '/admin/privacy')
  })
  .post('/decisions', requireRole('admin'), async (c) => {
    const f = await formValues(c)
    const decision = Object.fromEntries(DECISION_FIELDS.map((k) => [k, textOf(f[k]) ?? '']))
    const parsed = decisionInput.safeParse(decision)
    if (!parsed.success) {
      const s = await registerSettings(c.get('db'))
      return page(c, Object.fromEntries([...FIELDS.map((k) => [k, s[k] ?? '']), ['version', String(s.version)]]), {}, decision, fieldErrors(parsed.error, c.get('t')), 422)
    }
    await createRecord(c.get('db'), 'retention_decisions', parsed.data, { userId: c.get('user')!.id })
    setFlash(c, 'decision.created')
    return redirectAfterWrite(c, '/admin/privacy#decisions-h')
  })
