import type { Hono, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { registerMessages, type Messages } from './i18n/catalogue.ts'
import { registerNav, type NavItem } from './nav.ts'
import type { Section, SectionRegistry } from './sections.ts'
import { registerTimeline, type TimelineSource } from './timeline.ts'

// Sub-apps carry their routes' types; the app only mounts them.
type AnyRoutes = Hono<AppEnv, any, any>

/**
 * What a feature folder plugs into the app: `src/<feature>/feature.ts` exports one of these and
 * src/features.ts lists it. Paths are full (`/contacts/:id{…}`, API paths after `/api/v1`); ids
 * are matched by pattern, so the order features are mounted in does not matter.
 */
export interface Feature {
  name: string
  /** Pages and fragments. */
  routes?: AnyRoutes
  /** JSON API, mounted under /api/v1. */
  api?: AnyRoutes
  /** Routes answered before body limits, CSRF and sessions (the health probe). */
  early?: AnyRoutes
  /** The feature's texts (`src/<feature>/<feature>.messages.ts`). */
  messages?: Messages
  /** Entries of the main menu. */
  nav?: NavItem[]
  /** What the feature adds to organisations' and contacts' timelines. */
  timelines?: TimelineSource[]
  /** Sections the feature adds to another feature's record page, each served by its own route (web/sections.ts). */
  sections?: Section[]
  /** The record pages that show other features' sections: how to find the record for the reader. */
  sectionHosts?: SectionRegistry['hosts']
  /** Run for every request once its session is loaded (a gate such as MFA enrolment). */
  middleware?: MiddlewareHandler<AppEnv>[]
  /**
   * Paths posted to cross-site by design, exempt from the Origin check (the SAML assertion
   * consumer, one-click unsubscribe): each needs its own reason to believe the request. Say why
   * beside it. A pattern must match the whole path.
   */
  crossSitePosts?: (string | RegExp)[]
  /** Requests that bring their own, larger body limit (an upload). */
  ownBodyLimit?: (method: string, path: string) => boolean
}

/** Registers what the features bring to the shared parts (texts, menu, timelines). Idempotent. */
export function plugIn(features: readonly Feature[]): void {
  const names = new Set<string>()
  for (const f of features) {
    if (names.has(f.name)) throw new Error(`Two features are called ${f.name}`)
    names.add(f.name)
    if (f.messages) registerMessages(f.name, f.messages)
    for (const source of f.timelines ?? []) registerTimeline(source)
    if (f.nav) registerNav(f.name, f.nav)
  }
}

