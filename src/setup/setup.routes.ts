import { Hono } from 'hono'
import { sql } from 'kysely'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { publicAccess, requireRole } from '../auth/roles.ts'
import { rotateSession } from '../auth/auth.service.ts'
import { setSessionCookie } from '../auth/session-cookie.ts'
import { email, password } from '../users/users.schema.ts'
import { countUsers } from '../users/users.repo.ts'
import { insertUser, prepareUser } from '../users/users.service.ts'
import { inTransaction } from '../db/write.ts'
import { NotFoundError, ValidationError } from '../web/errors.ts'
import { setFlash } from '../web/flash.ts'
import { formFields } from '../web/form.ts'
import { isPartial, redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { fieldErrors } from '../web/validate.ts'
import { currentDemoLoad, startDemoLoad } from './demo-load.ts'

const setupForm = z.object({ name: z.string().trim().min(1).max(200), email, password })

/** Only while no user exists: afterwards /setup is 404, so it can never mint a second admin. */
export const setup = new Hono<AppEnv>()
  .get('/setup', publicAccess, async (c) => {
    if ((await countUsers(c.get('db'))) > 0) throw new NotFoundError()
    return render(c, 'setup/setup', { title: c.get('t')('setup.title'), values: {}, errors: {} })
  })
  .post('/setup', publicAccess, async (c) => {
    const t = c.get('t')
    const db = c.get('db')
    if ((await countUsers(db)) > 0) throw new NotFoundError()
    const values = await formFields(c)
    const parsed = setupForm.safeParse(values)
    if (!parsed.success) {
      return render(c, 'setup/setup', { title: t('setup.title'), values, errors: fieldErrors(parsed.error, t) }, 422)
    }
    const prepared = await prepareUser({ ...parsed.data, role: 'admin', active: true })
    const user = await inTransaction(db, async (tx) => {
      // Two first visitors at once: the lock makes the second see the first's admin.
      await sql`select pg_advisory_xact_lock(4242)`.execute(tx)
      if ((await countUsers(tx)) > 0) return null
      return insertUser(tx, prepared, { userId: null })
    }).catch((err: unknown) => {
      if (err instanceof ValidationError) return null
      throw err
    })
    if (!user) throw new NotFoundError()
    const { token, expiresAt } = await rotateSession(c, user.id, 'browser')
    setSessionCookie(c, token, expiresAt)
    if (!values.demo) {
      setFlash(c, 'setup.done')
      return redirectAfterWrite(c, '/')
    }
    // The demo loads in the background (half a minute or more): its progress page shows how far.
    // A failure leaves the admin in place (the seed can be rerun).
    await startDemoLoad(db, user.id, c.get('deps').log)
    return redirectAfterWrite(c, '/setup/demo')
  })
  // The demo's progress: the page, and the fragment htmx polls every second; without script the
  // page's own link refreshes it. When the load has ended, on to the dashboard with the outcome.
  .get('/setup/demo', requireRole('admin'), async (c) => {
    // Kept in the database: the instance answering may not be the one loading.
    const load = await currentDemoLoad(c.get('db'))
    if (!load || load.status !== 'running') {
      if (load) setFlash(c, load.status === 'done' ? 'setup.done_demo' : 'setup.demo_failed')
      return redirectAfterWrite(c, '/')
    }
    const data = { title: c.get('t')('setup.demo_loading_title'), load }
    return render(c, isPartial(c) ? 'setup/_demo-progress' : 'setup/demo', data)
  })
