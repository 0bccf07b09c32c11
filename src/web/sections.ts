import type { Context, Handler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { hasRole } from '../auth/roles.ts'
import type { Role } from '../db/schema.ts'
import { NotFoundError } from './errors.ts'
import { isPartial } from './htmx.ts'
import type { MessageKey } from './i18n.ts'
import { renderFragment, renderPage, type ViewData } from './render.ts'

/**
 * Sections of a record page served by the feature they belong to: the organisation page shows
 * alliances, bodies, projects and relationships without knowing those features. A feature lists
 * its sections in feature.ts (`sections`) and serves each at its `path`; the host page loads it
 * with htmx (a plain link without script), so adding a section never edits the host page.
 */
export type SectionHostName = 'organisation' | 'contact'

export interface Section {
  host: SectionHostName
  /** Unique on its host: the slot's id is `section-<id>` (a link can aim at it). */
  id: string
  /** The section's heading, also the no-script link's text. */
  title: MessageKey
  /** Where the feature serves it, `:id` standing for the host record's id (`/alliances/organisation/:id`). */
  path: string
  /** Who sees the section (and may load it): viewer unless said. */
  role?: Role
  /** Place on the page, smaller first. */
  order: number
}

/** The record a section is about, as the host feature finds it for the reader (404 when it may not). */
export interface SectionHost {
  id: string
  name: string
  href: string
}
export type SectionHostLoader = (c: Context<AppEnv>, id: string) => Promise<SectionHost | undefined>

/** One app's sections and hosts (web/plug-in.ts collects them from its features). */
export interface SectionRegistry {
  sections: readonly Section[]
  hosts: Partial<Record<SectionHostName, SectionHostLoader>>
}

export interface SectionSlot {
  id: string
  title: MessageKey
  href: string
}

const UUID = '[0-9a-fA-F-]{36}'

/** The route pattern a feature mounts its section at (the id matched as a uuid). */
export function sectionRoute(section: Section): string {
  return section.path.replace(':id', `:id{${UUID}}`)
}

/** The slots a host page shows to a reader with `role`, in order. */
export function sectionSlots(c: Context<AppEnv>, host: SectionHostName, recordId: string): SectionSlot[] {
  const role = c.get('user')?.role
  return c
    .get('sections')
    .sections.filter((s) => s.host === host && role !== undefined && hasRole(role, s.role ?? 'viewer'))
    .map((s) => ({ id: s.id, title: s.title, href: s.path.replace(':id', recordId) }))
}

/**
 * The handler of a section's route: finds the host record through its host feature (404 when the
 * reader may not see it), then answers the section alone for htmx, or as a page of its own with
 * a way back for a browser without script.
 */
export function sectionHandler(section: Section, view: string, data: (c: Context<AppEnv>, host: SectionHost) => Promise<ViewData>): Handler<AppEnv> {
  return async (c) => {
    const load = c.get('sections').hosts[section.host]
    const host = load ? await load(c, c.req.param('id') ?? '') : undefined
    if (!host) throw new NotFoundError()
    c.header('Vary', 'HX-Request', { append: true })
    const body = renderFragment(c, view, { ...(await data(c, host)), sectionHost: host })
    if (isPartial(c)) return c.html(body)
    const title = `${c.get('t')(section.title)}: ${host.name}`
    return c.html(renderPage(c, renderFragment(c, 'partials/section-page', { host, body }), title))
  }
}

export function collectSections(parts: readonly { sections?: Section[]; sectionHosts?: SectionRegistry['hosts'] }[]): SectionRegistry {
  const sections = parts.flatMap((p) => p.sections ?? []).sort((a, b) => a.order - b.order)
  const seen = new Set<string>()
  for (const s of sections) {
    const key = `${s.host}:${s.id}`
    if (seen.has(key)) throw new Error(`Two sections ${key}`)
    seen.add(key)
  }
  return { sections, hosts: Object.assign({}, ...parts.map((p) => p.sectionHosts ?? {})) }
}
