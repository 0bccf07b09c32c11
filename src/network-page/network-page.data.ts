import type { Translate } from '../web/i18n.ts'
import type { NetworkPageQuery } from './network-page.schema.ts'
import type { PageView as View, ViewEdge, ViewNode } from './network-source.ts'
import { foldText } from '../register/search-text.ts'

/** Communities with a colour of their own; the rest are grey (the legend says so). */
export const COMMUNITY_COLOURS = 11
export const TABLE_PAGE = 100

/**
 * The largest communities get colours 0…10, in order of size (then number): the same in the
 * legend and the graph. People read groups from 1 ("Grupp 1"); the API numbers them from 0.
 */
export interface CommunityGroup {
  community: number
  count: number
  colour: number
  /** The most central member's label (the group's default name) and node id. */
  name: string | null
  anchor: string | null
  /** Its nodes as `type:id` (memberKey), collapsed groups left out: what a given name is kept by (withGivenNames). */
  members: string[]
  /** The name a user gave the group, its row and version (for the rename form). */
  custom: { id: string; name: string; version: number } | null
}

/** A node as a group's member: its type too, so a view showing other types than the one a name was given in can still compare. */
export const memberKey = (n: { type: string; id: string }): string => `${n.type}:${n.id}`

/** A name a user gave a group: its members then (memberKey; null: named before they were kept) and its most central member then. */
export interface GivenName {
  id: string
  anchor_id: string
  name: string
  version: number
  members: readonly string[] | null
}

export function communityColours(nodes: readonly ViewNode[]): { colours: Record<string, number>; groups: CommunityGroup[] } {
  const counts = new Map<number, number>()
  const members = new Map<number, string[]>()
  // A group is named after its most central member: most shortest paths through it, then most links.
  const central = new Map<number, ViewNode>()
  for (const n of nodes) {
    if (n.community < 0 || n.type === 'cluster') continue
    const best = central.get(n.community)
    if (!best || n.betweenness > best.betweenness || (n.betweenness === best.betweenness && (n.degree > best.degree || (n.degree === best.degree && n.label < best.label)))) central.set(n.community, n)
  }
  // A collapsed group counts for the nodes it stands for; a node gone in a "changes" view (-1) for none.
  for (const n of nodes) {
    if (n.community < 0) continue
    counts.set(n.community, (counts.get(n.community) ?? 0) + (n.type === 'cluster' ? (n.size ?? 1) : 1))
    if (n.type !== 'cluster') members.set(n.community, [...(members.get(n.community) ?? []), memberKey(n)])
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, COMMUNITY_COLOURS)
  const colours: Record<string, number> = {}
  const groups = ranked.map(([community, count], colour) => {
    colours[String(community)] = colour
    const anchor = central.get(community)
    return { community, count, colour, name: anchor?.label ?? null, anchor: anchor?.id ?? null, members: members.get(community) ?? [], custom: null }
  })
  return { colours, groups }
}

/** How alike a named group and a group now must be to keep the name: shared nodes over all nodes of the two. */
export const KEEP_NAME_SHARE = 0.5

/**
 * The names users gave groups, kept by who is in the group rather than by its most central member
 * (which changes as the network grows: issue 14). A name goes to the group now most like the group
 * it was given to: the share of the two groups' nodes together that both have (Jaccard), when at
 * least KEEP_NAME_SHARE; the best pairs first, one name per group and one group per name. Only what
 * both views could show counts: the named group's nodes that are in this view (not filtered out or
 * folded into their organisation), and this group's nodes of the types the named group had — so a
 * name given with people folded is found with people shown, and the other way round. A name given
 * before members were kept goes to the group its anchor is in now. `present`: this view's nodes (memberKey).
 */
export function withGivenNames(groups: CommunityGroup[], given: readonly GivenName[], present: ReadonlySet<string>): CommunityGroup[] {
  const pairs: { row: GivenName; group: number; share: number; shared: number }[] = []
  const typeOf = (key: string) => key.slice(0, key.indexOf(':'))
  groups.forEach((g, group) => {
    const ids = new Set(g.members.map((k) => k.slice(k.indexOf(':') + 1)))
    for (const row of given) {
      if (!row.members) {
        if (ids.has(row.anchor_id)) pairs.push({ row, group, share: 1, shared: 1 })
        continue
      }
      const types = new Set(row.members.map(typeOf))
      const now = new Set(g.members.filter((k) => types.has(typeOf(k))))
      const then = row.members.filter((k) => present.has(k))
      const shared = then.filter((k) => now.has(k)).length
      const share = shared ? shared / (then.length + now.size - shared) : 0
      if (shared && share >= KEEP_NAME_SHARE) pairs.push({ row, group, share, shared })
    }
  })
  pairs.sort((a, b) => b.share - a.share || b.shared - a.shared || (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : a.group - b.group))
  const named = new Map<number, GivenName>()
  const used = new Set<string>()
  for (const p of pairs) {
    if (named.has(p.group) || used.has(p.row.id)) continue
    named.set(p.group, p.row)
    used.add(p.row.id)
  }
  return groups.map((g, i) => {
    const row = named.get(i)
    return row ? { ...g, custom: { id: row.id, name: row.name, version: row.version } } : g
  })
}

/** The text the canvas is described by: counts, and the main brokers by name. */
export function summaryText(view: View, t: Translate): string {
  const parts = [t('netpage.summary', { nodes: view.meta.node_count, edges: view.meta.edge_count, groups: view.meta.community_count })]
  if (view.changes) parts.push(t('netpage.summary_changes', view.changes))
  if (view.meta.cluster) parts.push(t('netpage.summary_clustered'))
  const brokers = view.measures.brokers.slice(0, 3).map((b) => b.label)
  if (brokers.length) parts.push(t('netpage.summary_brokers', { names: brokers.join(', ') }))
  return parts.join('; ') + '.'
}

/** The page's own URL with some parameters changed (null removes one), for links that keep the view. */
export function hrefWith(current: URLSearchParams, changes: Record<string, string | null>): string {
  const p = new URLSearchParams(current)
  for (const [k, v] of Object.entries(changes)) {
    p.delete(k)
    if (v !== null) p.set(k, v)
  }
  const s = p.toString()
  return s ? `/network?${s}` : '/network'
}

const collator = new Intl.Collator('sv', { sensitivity: 'base', numeric: true })

interface Sorted<T> {
  rows: T[]
  count: number
  from: number
  to: number
  page: number
  pages: number
}

function pageOf<T>(all: T[], page: number): Sorted<T> {
  const pages = Math.max(1, Math.ceil(all.length / TABLE_PAGE))
  const p = Math.min(page, pages)
  const rows = all.slice((p - 1) * TABLE_PAGE, p * TABLE_PAGE)
  return { rows, count: all.length, from: all.length ? (p - 1) * TABLE_PAGE + 1 : 0, to: (p - 1) * TABLE_PAGE + rows.length, page: p, pages }
}

/** The natural direction of a column: numbers largest first, names A–Ö. */
export function sortDir(sort: string, dir: 'asc' | 'desc' | undefined): 'asc' | 'desc' {
  return dir ?? (['degree', 'betweenness', 'weight'].includes(sort) ? 'desc' : 'asc')
}

export function nodeTable(view: View, q: NetworkPageQuery, typeLabel: (type: string) => string): Sorted<ViewNode> {
  const dir = sortDir(q.sort, q.dir) === 'asc' ? 1 : -1
  const needle = q.find ? foldText(q.find) : ''
  const rows = needle ? view.nodes.filter((n) => foldText(n.label).includes(needle)) : [...view.nodes]
  const key: Record<NetworkPageQuery['sort'], (a: ViewNode, b: ViewNode) => number> = {
    label: (a, b) => collator.compare(a.label, b.label),
    type: (a, b) => collator.compare(typeLabel(a.type), typeLabel(b.type)),
    degree: (a, b) => a.degree - b.degree,
    betweenness: (a, b) => a.betweenness - b.betweenness,
    community: (a, b) => a.community - b.community,
  }
  rows.sort((a, b) => dir * key[q.sort](a, b) || collator.compare(a.label, b.label) || (a.id < b.id ? -1 : 1))
  return pageOf(rows, q.page)
}

export type EdgeRow = ViewEdge & { sourceLabel: string; targetLabel: string; sourceType: string; targetType: string }

export function edgeTable(view: View, q: NetworkPageQuery, typeLabel: (type: string) => string): Sorted<EdgeRow> {
  const byId = new Map(view.nodes.map((n) => [n.id, n]))
  const dir = sortDir(q.esort, q.edir) === 'asc' ? 1 : -1
  const rows: EdgeRow[] = view.edges.map((e) => ({
    ...e,
    sourceLabel: byId.get(e.source)?.label ?? e.source,
    targetLabel: byId.get(e.target)?.label ?? e.target,
    sourceType: byId.get(e.source)?.type ?? '',
    targetType: byId.get(e.target)?.type ?? '',
  }))
  const key: Record<NetworkPageQuery['esort'], (a: EdgeRow, b: EdgeRow) => number> = {
    source: (a, b) => collator.compare(a.sourceLabel, b.sourceLabel),
    target: (a, b) => collator.compare(a.targetLabel, b.targetLabel),
    type: (a, b) => collator.compare(typeLabel(a.type), typeLabel(b.type)),
    weight: (a, b) => a.weight - b.weight,
  }
  rows.sort((a, b) => dir * key[q.esort](a, b) || collator.compare(a.sourceLabel, b.sourceLabel) || collator.compare(a.targetLabel, b.targetLabel) || (a.id < b.id ? -1 : 1))
  return pageOf(rows, q.epage)
}

/** Where a node's own page is; clusters and unknown types have none. */
export function recordHref(type: string, id: string): string | null {
  const base: Record<string, string> = {
    organisation: '/organisations/', contact: '/contacts/', alliance: '/alliances/', project: '/projects/', body: '/bodies/', theme: '/themes/',
  }
  return base[type] ? base[type] + id : null
}

/**
 * JSON for an island in the page (an inert `<template>`): no `<`, `>` or `&` survives as such,
 * so no text in the data can close the element, open another one or spell an entity.
 */
export function jsonIsland(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/** At most this many gained and lost relationships are listed on the page (all are in the table view and the files). */
export const CHANGES_LISTED = 200

export interface ChangeRow { change: 'gained' | 'lost'; source: ViewNode | null; target: ViewNode | null; sourceLabel: string; targetLabel: string; type: string; day: string | null }

/**
 * What was gained and lost between the two days, one row a relationship: who, which relationship,
 * and when it began (gained) or ended (lost), when the register knows; by day, then by name.
 */
export function changeRows(view: View): { rows: ChangeRow[]; count: number } {
  if (!view.changes) return { rows: [], count: 0 }
  const byId = new Map(view.nodes.map((n) => [n.id, n]))
  const all: ChangeRow[] = []
  for (const e of view.edges) {
    if (e.change !== 'gained' && e.change !== 'lost') continue
    const raw = e as ViewEdge & { start_date?: string | null; end_date?: string | null }
    const source = byId.get(e.source) ?? null
    const target = byId.get(e.target) ?? null
    all.push({
      change: e.change,
      source,
      target,
      sourceLabel: source?.label ?? e.source,
      targetLabel: target?.label ?? e.target,
      type: e.type,
      day: (e.change === 'gained' ? raw.start_date : raw.end_date) ?? null,
    })
  }
  all.sort((a, b) => (a.day ?? '9999').localeCompare(b.day ?? '9999') || collator.compare(a.sourceLabel, b.sourceLabel) || collator.compare(a.targetLabel, b.targetLabel))
  return { rows: all.slice(0, CHANGES_LISTED), count: all.length }
}
