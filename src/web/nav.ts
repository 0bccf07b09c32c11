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
}

const GROUP_LABEL: Record<NavGroup, MessageKey> = {
  register: 'nav.group.register',
  network: 'nav.group.network',
  outreach: 'nav.group.outreach',
  admin: 'nav.group.admin',
}

// Entries appear as their features land.
export const NAV: NavItem[] = [
  { href: '/', key: 'nav.dashboard', role: 'viewer' },
  { href: '/organisations', key: 'nav.organisations', role: 'viewer', group: 'register' },
  { href: '/contacts', key: 'nav.contacts', role: 'viewer', group: 'register' },
  { href: '/projects', key: 'nav.projects', role: 'viewer', group: 'register' },
  { href: '/products', key: 'nav.products', role: 'viewer', group: 'register' },
  { href: '/themes', key: 'nav.themes', role: 'viewer', group: 'register' },
  { href: '/alliances', key: 'nav.alliances', role: 'viewer', group: 'network' },
  { href: '/bodies', key: 'nav.bodies', role: 'viewer', group: 'network' },
  { href: '/stakeholder-map', key: 'nav.stakeholder_map', role: 'viewer', group: 'network' },
  { href: '/network', key: 'nav.network', role: 'viewer', group: 'network' },
  { href: '/activities', key: 'nav.activities', role: 'viewer', group: 'outreach' },
  { href: '/plans', key: 'nav.plans', role: 'viewer', group: 'outreach' },
  { href: '/admin/users', key: 'nav.admin_users', role: 'admin', group: 'admin' },
]

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
