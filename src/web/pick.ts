import type { Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Executor } from '../db/write.ts'

/**
 * The record pickers (views/partials/org-picker.eta, static/js/combobox.js) send two fields: the
 * chosen id under the field's own name, and what the box shows under `<name>~<kind>`. The text is
 * what the user last saw, so it decides: empty text is an explicit "none"; a text that is not the
 * chosen record's name is looked up by name (the form without script works by typing the name),
 * and a text that names no record, or several, is refused next to the field, never saved as "none".
 *
 * The multi-select picker (views/partials/org-multi-picker.eta) sends its chosen ids as repeated
 * `<name>` fields and its box's text under `<name>~<kind>+`: there an empty box adds nothing, and a
 * text is one more record to add (by exact name, as above), so the form works without script too.
 */
export interface PickResolver {
  /** The record's name as the box shows it, or undefined when there is none. */
  nameOf(db: Executor, id: string): Promise<string | undefined>
  /** Live records whose name is exactly `text`, ignoring case (at most a few). */
  byName(db: Executor, text: string): Promise<{ id: string }[]>
}

const resolvers = new Map<string, PickResolver>()

/** A feature makes its records pickable by name (the organisations feature: `organisation`). */
export function registerPicker(kind: string, resolver: PickResolver): void {
  resolvers.set(kind, resolver)
}

interface PickState {
  texts: Record<string, string>
  errors: Record<string, string>
}

/** Stands for a text that named no record; never saved, as saveForm refuses the form first. */
export const UNRESOLVED = '00000000-0000-0000-0000-000000000000'

const states = new WeakMap<object, PickState>()
const KEY = /^(.{1,200})~([a-z_]{1,40})(\+?)$/

const same = (a: string, b: string) => a.trim().toLocaleLowerCase('sv') === b.trim().toLocaleLowerCase('sv')

/** Resolves the pickers' texts in `values` (in place): ids set or cleared, texts kept for the form, refusals noted. */
export async function resolvePicks(c: Context, values: Record<string, string | string[]>): Promise<void> {
  const state: PickState = { texts: {}, errors: {} }
  const db = (c as Context<AppEnv>).get('db')
  const t = (c as Context<AppEnv>).get('t')
  for (const key of Object.keys(values)) {
    const m = KEY.exec(key)
    if (!m) continue
    const [, field, kind, plus] = m as unknown as [string, string, string, string]
    const raw = values[key]
    delete values[key]
    const resolver = resolvers.get(kind)
    if (!resolver) continue
    const text = (Array.isArray(raw) ? raw[0] : raw)?.trim().slice(0, 300) ?? ''
    state.texts[field] = text
    if (plus) {
      if (!text) continue
      const found = await resolver.byName(db, text)
      if (found.length === 1) {
        const chosen = values[field] === undefined ? [] : Array.isArray(values[field]) ? values[field] : [values[field]]
        values[field] = [...new Set([...chosen, found[0]!.id])]
        // Added: the form shown again (for another field's error) shows it among the chosen, the box empty.
        state.texts[field] = ''
      } else state.errors[field] = t(found.length ? 'pick.ambiguous' : 'pick.no_match_add', { text })
      continue
    }
    const id = values[field]
    const chosen = typeof id === 'string' ? id.trim() : ''
    if (!text) {
      values[field] = ''
      continue
    }
    if (chosen && /^[0-9a-f-]{36}$/i.test(chosen)) {
      const name = await resolver.nameOf(db, chosen)
      if (name !== undefined && same(name, text)) continue
    }
    const found = await resolver.byName(db, text)
    if (found.length === 1) {
      values[field] = found[0]!.id
      continue
    }
    // Not "none": a placeholder no record has, so a repeated row stays a row and the form is refused (saveForm).
    values[field] = UNRESOLVED
    state.errors[field] = t(found.length ? 'pick.ambiguous' : 'pick.no_match', { text })
  }
  states.set(c, state)
}

/** What each picker showed when the form was sent: the form shown again shows the same. */
export const pickTexts = (c: Context): Record<string, string> => states.get(c)?.texts ?? {}

/** The pickers' refusals, by field name. */
export const pickErrors = (c: Context): Record<string, string> => states.get(c)?.errors ?? {}
