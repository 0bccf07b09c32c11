import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { composePages } from './compose.routes.ts'
import { newsletterIssuesApi } from './issues.api.ts'
import { newsletterListsApi } from './lists.api.ts'
import * as messages from './newsletter.messages.ts'
import { newsletterPages } from './public.routes.ts'
import { ONE_CLICK_PATH, unsubscribePages } from './unsubscribe.routes.ts'

/** The newsletter: public sign-up, confirmation, archive and unsubscribe (no login); lists and issues in the API. */
export const newsletter: Feature = {
  name: 'newsletter',
  routes: new Hono<AppEnv>().route('/newsletter/compose', composePages).route('/newsletter/unsubscribe', unsubscribePages).route('/newsletter', newsletterPages),
  api: new Hono<AppEnv>().route('/newsletter/lists', newsletterListsApi).route('/newsletter/issues', newsletterIssuesApi),
  messages,
  nav: [{ href: '/newsletter/compose', key: 'nav.newsletter_compose', role: 'editor', group: 'outreach', order: 117 }],
  // RFC 8058 one-click unsubscribe is posted by mail providers, cross-site and without a session;
  // the secret token in its URL authenticates it, and it can only unsubscribe that copy's recipient.
  crossSitePosts: [ONE_CLICK_PATH],
}
