import { z } from 'zod'
import { uuidList } from '../register/fields.ts'

export const createIssue = z.strictObject({
  list_ids: z.array(z.uuid()).min(1).max(50),
  subject: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(100_000),
  theme_ids: uuidList.optional().transform((v) => v ?? []),
})

export const sendIssue = z.strictObject({
  /** Later instead of now (ISO 8601 with offset). */
  scheduled_at: z.iso.datetime({ offset: true }).optional(),
  /** Only to this address, as a test; the issue stays a draft. */
  test_to: z.email().max(254).optional(),
})

export type IssueInput = z.output<typeof createIssue>
