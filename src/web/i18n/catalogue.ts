import { coreEn } from './core.en.ts'
import { coreSv } from './core.sv.ts'
import * as organisations from '../../organisations/organisations.messages.ts'
import * as csvImport from '../../import/import.messages.ts'
import * as merge from '../../merge/merge.messages.ts'
import * as themes from '../../themes/themes.messages.ts'
import * as interactions from '../../interactions/interactions.messages.ts'
import * as dashboard from '../../dashboard/dashboard.messages.ts'
import * as contacts from '../../contacts/contacts.messages.ts'
import * as search from '../../search/search.messages.ts'
import * as seed from '../../seed/seed.messages.ts'
import * as stakeholderMap from '../../stakeholder-map/stakeholder-map.messages.ts'
import * as alliances from '../../alliances/alliances.messages.ts'
import * as bodies from '../../bodies/bodies.messages.ts'
import * as relationships from '../../relationships/relationships.messages.ts'
import * as activities from '../../activities/activities.messages.ts'
import * as projects from '../../projects/projects.messages.ts'
import * as products from '../../products/products.messages.ts'
import * as ideas from '../../ideas/ideas.messages.ts'
import * as plans from '../../plans/plans.messages.ts'
import * as reports from '../../reports/reports.messages.ts'
import * as networkPage from '../../network-page/network-page.messages.ts'
import * as networkGraph from '../../network/network.messages.ts'
import * as privacy from '../../privacy/privacy.messages.ts'
import * as accessibility from '../../accessibility/accessibility.messages.ts'
import * as signIn from '../../sign-in/sign-in.messages.ts'

/**
 * Every feature keeps its own messages (src/<feature>/<feature>.messages.ts, exporting `sv` and
 * `en` with the same keys) and is listed here once.
 */
export const sv = {
  ...coreSv,
  ...organisations.sv,
  ...csvImport.sv,
  ...merge.sv,
  ...themes.sv,
  ...interactions.sv,
  ...dashboard.sv,
  ...contacts.sv,
  ...search.sv,
  ...seed.sv,
  ...stakeholderMap.sv,
  ...alliances.sv,
  ...bodies.sv,
  ...relationships.sv,
  ...activities.sv,
  ...projects.sv,
  ...products.sv,
  ...ideas.sv,
  ...plans.sv,
  ...reports.sv,
  ...networkPage.sv,
  ...networkGraph.sv,
  ...privacy.sv,
  ...accessibility.sv,
  ...signIn.sv,
} as const

export type MessageKey = keyof typeof sv

export const en: Record<MessageKey, string> = {
  ...coreEn,
  ...organisations.en,
  ...csvImport.en,
  ...merge.en,
  ...themes.en,
  ...interactions.en,
  ...dashboard.en,
  ...contacts.en,
  ...search.en,
  ...seed.en,
  ...stakeholderMap.en,
  ...alliances.en,
  ...bodies.en,
  ...relationships.en,
  ...activities.en,
  ...projects.en,
  ...products.en,
  ...ideas.en,
  ...plans.en,
  ...reports.en,
  ...networkPage.en,
  ...networkGraph.en,
  ...privacy.en,
  ...accessibility.en,
  ...signIn.en,
}
