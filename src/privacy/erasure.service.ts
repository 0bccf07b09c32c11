import type { Config } from '../config.ts'
import { contactName } from '../contacts/contacts.service.ts'
import { inTransaction, type Actor, type Executor } from '../db/write.ts'
import { NotFoundError, ValidationError } from '../web/errors.ts'
import { anonymiseContact } from './anonymise.ts'
import { appendErasure, erasureLogPath } from './erasure-log.ts'
import { isAuthority } from './lawful-basis.ts'
import { setRestricted } from './restriction.ts'
import { findDecision } from './retention-decisions.ts'

/** A request that was understood but cannot be carried out as asked (wrong name, no decision): 422. */
export class UnprocessableError extends ValidationError {
  constructor(fields: Record<string, string>) {
    super(fields, 'unprocessable')
    ;(this as { status: number }).status = 422
  }
}

export interface EraseRequest {
  confirm: string
  mode: 'anonymise' | 'restrict'
  decision_id?: string | null | undefined
}

const normalised = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('sv')

/**
 * Erasure (GDPR art. 17) as the deployment allows: confirmed by the person's full name;
 * `anonymise` under a registered culling decision when the controller is an authority
 * (arkivlagen), `restrict` always. Nothing changes when a check fails. The ids go to the
 * erasure log before the transaction commits, so a restored backup cannot bring the person back.
 */
export async function eraseContact(db: Executor, contactId: string, req: EraseRequest, actor: Actor, config: Config): Promise<void> {
  await inTransaction(db, async (tx) => {
    const contact = await tx.selectFrom('contacts').select(['id', 'first_name', 'last_name', 'erased_at', 'merged_into_id'])
      .where('id', '=', contactId).where('deleted_at', 'is', null).forUpdate().executeTakeFirst()
    if (!contact || contact.merged_into_id) throw new NotFoundError()
    if (contact.erased_at) throw new UnprocessableError({ confirm: 'erase.already_erased' })
    if (!req.confirm || normalised(req.confirm) !== normalised(contactName(contact))) throw new UnprocessableError({ confirm: 'erase.wrong_confirm' })
    const log = erasureLogPath(config)
    if (req.mode === 'restrict') {
      if (await setRestricted(tx, contactId, true, actor)) appendErasure(log, { at: new Date().toISOString(), contact_id: contactId, mode: 'restrict' })
      return
    }
    const decision = req.decision_id ? await findDecision(tx, req.decision_id) : undefined
    if (req.decision_id && !decision) throw new UnprocessableError({ decision_id: 'erase.unknown_decision' })
    if (!decision && isAuthority(config)) throw new UnprocessableError({ decision_id: 'erase.decision_required' })
    await anonymiseContact(tx, contactId, decision?.id ?? null, actor)
    appendErasure(log, { at: new Date().toISOString(), contact_id: contactId, mode: 'anonymise', decision_id: decision?.id ?? null })
  })
}

/** Lifts a restriction (admin); logged too, so a restore replays the latest state. */
export async function unrestrictContact(db: Executor, contactId: string, actor: Actor, config: Config): Promise<void> {
  await inTransaction(db, async (tx) => {
    if (await setRestricted(tx, contactId, false, actor)) {
      appendErasure(erasureLogPath(config), { at: new Date().toISOString(), contact_id: contactId, mode: 'unrestrict' })
    }
  })
}
