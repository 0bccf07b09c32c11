import type { Executor } from '../db/write.ts'
import { registerPicker } from '../web/pick.ts'
import { organisationOptions } from './organisations.repo.ts'

const same = (a: string, b: string) => a.trim().toLocaleLowerCase('sv') === b.trim().toLocaleLowerCase('sv')

/** The organisation picker (views/partials/org-picker.eta) resolves a typed name to its organisation. */
registerPicker('organisation', {
  async nameOf(db: Executor, id: string) {
    const row = await db.selectFrom('organisations').select('name').where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst()
    return row?.name
  },
  async byName(db: Executor, text: string) {
    return (await organisationOptions(db, text, 50)).filter((o) => same(o.name, text)).map(({ id }) => ({ id }))
  },
})
