import { sql } from 'kysely'
import { z } from 'zod'
import type { IssueContent } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { listOf, textOf } from '../web/form.ts'

/** How many sections the compose form offers. */
export const SECTIONS = 4

const ids = z.array(z.uuid()).max(20).transform((l) => [...new Set(l)])
const section = z.strictObject({
  heading: z.string().trim().max(200),
  text: z.string().trim().max(20_000),
  product_ids: ids,
  activity_ids: ids,
  idea_ids: ids,
})

/** The compose form: subject, intro, up to SECTIONS sections, and the audience. */
export const composeIssue = z.strictObject({
  subject: z.string().trim().min(1).max(300),
  intro: z.string().trim().max(20_000),
  sections: z.array(section).max(SECTIONS),
  list_ids: z.array(z.uuid()).max(50).transform((l) => [...new Set(l)]),
  segment_id: z.uuid().nullable(),
}).refine((v) => v.intro.length > 0 || v.sections.some((s) => s.heading || s.text || s.product_ids.length || s.activity_ids.length || s.idea_ids.length),
  { path: ['intro'], message: 'newsletter.compose_empty', when: () => true })
  .refine((v) => v.list_ids.length > 0 || v.segment_id !== null, { path: ['list_ids'], message: 'newsletter.lists_or_segment', when: () => true })

export type ComposeInput = z.output<typeof composeIssue>

type FormValues = Record<string, string | string[]>

export function composeFromForm(f: FormValues) {
  const sections = Array.from({ length: SECTIONS }, (_, i) => ({
    heading: textOf(f[`sections.${i}.heading`]) ?? '',
    text: textOf(f[`sections.${i}.text`]) ?? '',
    product_ids: listOf(f[`sections.${i}.product_ids`]),
    activity_ids: listOf(f[`sections.${i}.activity_ids`]),
    idea_ids: listOf(f[`sections.${i}.idea_ids`]),
  }))
  return {
    subject: textOf(f.subject) ?? '',
    intro: textOf(f.intro) ?? '',
    sections: sections.filter((s) => s.heading || s.text || s.product_ids.length || s.activity_ids.length || s.idea_ids.length),
    list_ids: listOf(f.list_ids),
    segment_id: textOf(f.segment_id),
  }
}

/** The form's values from stored content (editing a draft). */
export function formOfContent(c: IssueContent, issue: { subject: string; list_ids: string[]; segment_id: string | null }): FormValues {
  const out: FormValues = { subject: issue.subject, intro: c.intro, list_ids: issue.list_ids, segment_id: issue.segment_id ?? '' }
  c.sections.forEach((s, i) => {
    out[`sections.${i}.heading`] = s.heading
    out[`sections.${i}.text`] = s.text
    out[`sections.${i}.product_ids`] = s.product_ids
    out[`sections.${i}.activity_ids`] = s.activity_ids
    out[`sections.${i}.idea_ids`] = s.idea_ids
  })
  return out
}

export interface LinkItem {
  title: string
  /** A line under the title (an activity's date and place, a product's kind). */
  detail: string | null
  /** Where a reader outside the register can follow it; null when there is nowhere public. */
  url: string | null
}

/** What can be picked: products, activities (latest first) and the public idea bank. */
export async function composeChoices(db: Executor) {
  const [products, activities] = await Promise.all([
    db.selectFrom('products').select(['id', 'title', 'public']).where('deleted_at', 'is', null).orderBy('sort_name').limit(500).execute(),
    db.selectFrom('activities').select(['id', 'title', 'start_date']).where('deleted_at', 'is', null).where('type', '!=', 'newsletter')
      .orderBy('start_date', 'desc').orderBy('id').limit(200).execute(),
  ])
  return { products, activities, ideas: products.filter((p) => p.public) }
}

/**
 * The links of the content as readers see them, resolved now (the rendering is frozen when
 * composed): a product links to its own address, else to its idea-bank page when public; an
 * idea to its idea-bank page; an activity to its public registration page when registration is open.
 */
async function resolveLinks(db: Executor, content: IssueContent, base: string) {
  const productIds = [...new Set(content.sections.flatMap((s) => [...s.product_ids, ...s.idea_ids]))]
  const activityIds = [...new Set(content.sections.flatMap((s) => s.activity_ids))]
  const [products, activities] = await Promise.all([
    productIds.length ? db.selectFrom('products').select(['id', 'title', 'url', 'public', 'summary']).where('id', 'in', productIds).where('deleted_at', 'is', null).execute() : [],
    activityIds.length
      ? sql<{ id: string; title: string; start_date: string | null; location: string | null; open: boolean | null }>`
          select a.id, a.title, a.start_date::text as start_date, a.location, r.open
          from activities a left join event_registration_settings r on r.activity_id = a.id and r.deleted_at is null
          where a.id = any(${sql.val(activityIds)}::uuid[]) and a.deleted_at is null`.execute(db).then((r) => r.rows)
      : [],
  ])
  const product = new Map(products.map((p) => [p.id, p]))
  const activity = new Map(activities.map((a) => [a.id, a]))
  return {
    product: (id: string): LinkItem | null => {
      const p = product.get(id)
      return p ? { title: p.title, detail: null, url: p.url ?? (p.public ? `${base}/ideas/${p.id}` : null) } : null
    },
    idea: (id: string): LinkItem | null => {
      const p = product.get(id)
      return p?.public ? { title: p.title, detail: p.summary ? firstSentence(p.summary) : null, url: `${base}/ideas/${p.id}` } : null
    },
    activity: (id: string): LinkItem | null => {
      const a = activity.get(id)
      if (!a) return null
      const detail = [a.start_date, a.location].filter(Boolean).join(', ') || null
      return { title: a.title, detail, url: a.open ? `${base}/register/${a.id}` : null }
    },
  }
}

function firstSentence(text: string): string {
  const line = text.split(/\n/)[0]!.trim()
  const m = /^(.{1,200}?[.!?])(\s|$)/.exec(line)
  return m ? m[1]! : line.slice(0, 200)
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
const paragraphs = (text: string) =>
  text.split(/\n\s*\n/).filter((p) => p.trim()).map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`).join('\n')

export interface Rendered {
  text: string
  html: string
}

/**
 * The issue as text and as plain HTML (no styles: mail clients differ and drop most; the preview
 * page shows this very markup inside a page whose CSP allows no inline style).
 */
export async function renderContent(db: Executor, content: IssueContent, base: string, labels: { read: string }): Promise<Rendered> {
  const links = await resolveLinks(db, content, base)
  // The subject is the message's own title (and the archive page's heading): not repeated here.
  const text: string[] = []
  const html: string[] = []
  if (content.intro) {
    text.push(content.intro, '')
    html.push(paragraphs(content.intro))
  }
  for (const s of content.sections) {
    const items = [...s.product_ids.map(links.product), ...s.activity_ids.map(links.activity), ...s.idea_ids.map(links.idea)].filter((x): x is LinkItem => !!x)
    if (s.heading) {
      text.push(s.heading, '-'.repeat(Math.min(s.heading.length, 70)), '')
      html.push(`<h2>${escapeHtml(s.heading)}</h2>`)
    }
    if (s.text) {
      text.push(s.text, '')
      html.push(paragraphs(s.text))
    }
    if (items.length) {
      for (const item of items) {
        text.push(`* ${item.title}${item.detail ? ` (${item.detail})` : ''}${item.url ? `\n  ${labels.read}: ${item.url}` : ''}`)
      }
      text.push('')
      html.push(`<ul>${items.map((item) => `<li>${item.url ? `<a href="${escapeHtml(item.url)}">${escapeHtml(item.title)}</a>` : escapeHtml(item.title)}${item.detail ? ` <span>– ${escapeHtml(item.detail)}</span>` : ''}</li>`).join('')}</ul>`)
    }
  }
  return { text: text.join('\n').trim(), html: html.join('\n') }
}
