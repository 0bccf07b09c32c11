import { accessibility } from './accessibility/feature.ts'
import { account } from './account/feature.ts'
import { activities } from './activities/feature.ts'
import { admin } from './admin/feature.ts'
import { alliances } from './alliances/feature.ts'
import { audit } from './audit/feature.ts'
import { auth } from './auth/feature.ts'
import { bodies } from './bodies/feature.ts'
import { contacts } from './contacts/feature.ts'
import { dashboard } from './dashboard/feature.ts'
import { events } from './events/feature.ts'
import { health } from './health/feature.ts'
import { ideas } from './ideas/feature.ts'
import { csvImport } from './import/feature.ts'
import { interactions } from './interactions/feature.ts'
import { jobs } from './jobs/feature.ts'
import { merge } from './merge/feature.ts'
import { network } from './network/feature.ts'
import { networkPage } from './network-page/feature.ts'
import { newsletter } from './newsletter/feature.ts'
import { organisations } from './organisations/feature.ts'
import { plans } from './plans/feature.ts'
import { privacy } from './privacy/feature.ts'
import { products } from './products/feature.ts'
import { projects } from './projects/feature.ts'
import { relationships } from './relationships/feature.ts'
import { reports } from './reports/feature.ts'
import { search } from './search/feature.ts'
import { segments } from './segments/feature.ts'
import { seed } from './seed/feature.ts'
import { setup } from './setup/feature.ts'
import { signIn } from './sign-in/feature.ts'
import { stakeholderMap } from './stakeholder-map/feature.ts'
import { themes } from './themes/feature.ts'
import { users } from './users/feature.ts'
import type { Feature } from './web/plug-in.ts'

/**
 * Every feature of the app, one line each (see "Adding a feature" in the README). The order
 * does not decide which route answers (ids are matched by pattern); timeline entries of the same
 * moment keep this order.
 */
export const features: readonly Feature[] = [
  health,
  auth,
  signIn,
  setup,
  account,
  audit,
  users,
  admin,
  jobs,
  dashboard,
  organisations,
  contacts,
  privacy,
  themes,
  interactions,
  alliances,
  bodies,
  activities,
  events,
  plans,
  reports,
  projects,
  products,
  ideas,
  newsletter,
  segments,
  accessibility,
  relationships,
  merge,
  csvImport,
  search,
  stakeholderMap,
  network,
  networkPage,
  seed,
]
