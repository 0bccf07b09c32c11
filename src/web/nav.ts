import { hasRole } from '../auth/roles.ts'
import type { Role } from '../db/schema.ts'
import type { MessageKey } from './i18n.ts'

/** The menu's sections, in order; an entry without a group stands on its own before them. */
export const NAV_GROUPS = ['register', 'network', 'outreach', 'admin'] as const
export type NavGroup = (typeof NAV_GROUPS)[number]

export interface NavItem {
  href: string
  key: MessageKey
  role: Role
  group?: NavGroup
  /** Place in the menu (within its group), smaller first: the dashboard is 10, user administration 900. */
  order: number
}

const GROUP_LABEL: Record<NavGroup, MessageKey> = {
  register: 'nav.group.register',
  network: 'nav.group.network',
  outreach: 'nav.group.outreach',
  admin: 'nav.group.admin',
}

// Each feature brings its entries (feature.ts `nav`); web/plug-in.ts registers them here.
const byFeature = new Map<string, NavItem[]>()

export function registerNav(feature: string, items: NavItem[]): void {
  byFeature.set(feature, items)
}

/** Every entry of the menu, in order. */
export function navigation(): NavItem[] {
  return [...byFeature.values()].flat().sort((a, b) => a.order - b.order)
}

export interface NavLink {
  href: string
  key: MessageKey
  current: boolean
}
export interface NavSection {
  /** Absent for an entry that stands on its own (the dashboard). */
  group?: { id: NavGroup; key: MessageKey; current: boolean }
  links: NavLink[]
}

const isCurrent = (href: string, path: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`))

/** The menu a user with `role` sees on `path`: lone entries first, then each group with any entry. */
export function navSections(items: NavItem[], role: Role, path: string): NavSection[] {
  const visible = items.filter((item) => hasRole(role, item.role))
  const link = (item: NavItem): NavLink => ({ href: item.href, key: item.key, current: isCurrent(item.href, path) })
  const lone: NavSection[] = visible.filter((item) => !item.group).map((item) => ({ links: [link(item)] }))
  const grouped: NavSection[] = NAV_GROUPS.map((id) => {
    const links = visible.filter((item) => item.group === id).map(link)
    return { group: { id, key: GROUP_LABEL[id], current: links.some((l) => l.current) }, links }
  }).filter((section) => section.links.length > 0)
  return [...lone, ...grouped]
}
