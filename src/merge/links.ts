/**
 * Every column that points at a contact or an organisation from a link table. A merge moves
 * these rows from the record merged away to the one that survives; a feature that adds a link
 * table (alliance members, activity participants, project partners, seats …) adds it here, or
 * its links would stay with a deleted record.
 */
export interface LinkColumn {
  table: string
  column: string
  /** Columns that, with this one, make two rows the same link: a moved row the survivor already has is dropped. */
  sameLinkWhen?: string[]
  /** A boolean only one of the owner's rows may have (the primary affiliation): the survivor's own wins. */
  onlyOne?: string
  /** The rows are versioned records themselves (children of an organisation): moved one by one, audited. */
  versioned?: 'organisations' | 'contacts' | 'projects' | 'activities'
}

export type MergeEntity = 'contacts' | 'organisations'

export const MERGE_LINKS: Record<MergeEntity, LinkColumn[]> = {
  contacts: [
    { table: 'affiliations', column: 'contact_id', sameLinkWhen: ['organisation_id', 'role', 'start_date', 'end_date'], onlyOne: 'is_primary' },
    { table: 'interaction_links', column: 'contact_id', sameLinkWhen: ['interaction_id'] },
    { table: 'alliance_members', column: 'contact_id' },
    { table: 'body_seats', column: 'contact_id', sameLinkWhen: ['body_id', 'organisation_id', 'role', 'start_date', 'end_date'] },
    // A person takes part in an activity once: the survivor's own participation (role, attendance) wins.
    { table: 'activity_participants', column: 'contact_id', sameLinkWhen: ['activity_id'] },
  ],
  organisations: [
    { table: 'affiliations', column: 'organisation_id', sameLinkWhen: ['contact_id', 'role', 'start_date', 'end_date'] },
    { table: 'interaction_links', column: 'organisation_id', sameLinkWhen: ['interaction_id'] },
    { table: 'organisations', column: 'parent_id', versioned: 'organisations' },
    // One member row per organisation and alliance: the survivor's own row (role, contact) wins.
    { table: 'alliance_members', column: 'organisation_id', sameLinkWhen: ['alliance_id'] },
    { table: 'commitments', column: 'organisation_id' },
    { table: 'body_seats', column: 'organisation_id', sameLinkWhen: ['body_id', 'contact_id', 'role', 'start_date', 'end_date'] },
    // One partner row per organisation and project: the survivor's own row (role) wins.
    { table: 'project_partners', column: 'organisation_id', sameLinkWhen: ['project_id'] },
    { table: 'projects', column: 'lead_organisation_id', versioned: 'projects' },
    // The same participation twice (same activity, same person or none) keeps the survivor's own row.
    { table: 'activity_participants', column: 'organisation_id', sameLinkWhen: ['activity_id', 'contact_id'] },
    { table: 'activities', column: 'influence_organisation_id', versioned: 'activities' },
    // A relationship between the two merged organisations becomes one of the survivor with itself:
    // kept (history), but left out of its page and of the network's edges.
    { table: 'organisation_relationships', column: 'from_organisation_id', sameLinkWhen: ['to_organisation_id', 'type', 'start_date', 'end_date', 'deleted_at'] },
    { table: 'organisation_relationships', column: 'to_organisation_id', sameLinkWhen: ['from_organisation_id', 'type', 'start_date', 'end_date', 'deleted_at'] },
  ],
}
