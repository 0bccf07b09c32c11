import { z } from 'zod'
import { uuidList } from '../register/fields.ts'

export const createIssue = z.strictObject({
  list_ids: z.array(z.uuid()).max(50).default([]),
  /** A one-off audience: the members of this saved segment when the issue is sent (besides the lists'). */
  segment_id: z.uuid().nullish().transform((v) => v ?? null),
  subject: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(100_000),
  theme_ids: uuidList.optional().transform((v) => v ?? []),
}).refine((v) => v.list_ids.length > 0 || v.segment_id !== null, { path: ['list_ids'], message: 'newsletter.lists_or_segment', when: () => true })

export const sendIssue = z.strictObject({
  /** Later instead of now (ISO 8601 with offset). */
  scheduled_at: z.iso.datetime({ offset: true }).optional(),
  /** Only to this address, as a test; the issue stays a draft. */
  test_to: z.email().max(254).optional(),
})

/** `segment_id` may be left out by callers in code (it is null then). */
export type IssueInput = Omit<z.output<typeof createIssue>, 'segment_id'> & { segment_id?: string | null }
