import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { publicAccess } from '../auth/roles.ts'
import { render } from '../web/render.ts'

/** The day this version of Navet was last assessed; an operator who re-assesses sets ACCESSIBILITY_ASSESSED_ON. */
export const ASSESSED_ON = '2026-12-03'

export const SHORTCOMINGS = ['a11y.gap.graph', 'a11y.gap.graph_colour', 'a11y.gap.calendar', 'a11y.gap.user_content'] as const

/** The accessibility statement the Act (2018:1937) requires: public, in Swedish and English. */
export const accessibilityPage = new Hono<AppEnv>().get('/', publicAccess, (c) => {
  const contact = c.get('deps').config.accessibility ?? {}
  const t = c.get('t')
  return render(c, 'accessibility/statement', {
    title: t('a11y.title'),
    organisation: contact.organisation ?? t('a11y.default_organisation'),
    email: contact.email,
    phone: contact.phone,
    assessedOn: contact.assessedOn ?? ASSESSED_ON,
    updatedOn: ASSESSED_ON > (contact.assessedOn ?? '') ? ASSESSED_ON : contact.assessedOn,
    shortcomings: SHORTCOMINGS,
  })
})
