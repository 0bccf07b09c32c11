import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>
/** A timestamp the database fills in when the insert leaves it out. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>

/** Columns every versioned, audited, soft-deletable record has. */
export interface RecordColumns {
  id: Generated<string>
  version: Generated<number>
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export type Role = 'admin' | 'editor' | 'viewer'

export interface UsersTable extends RecordColumns {
  email: string
  name: string
  sort_name: string
  role: Role
  active: Generated<boolean>
  password_hash: string
  password_changed_at: DefaultTimestamp
  last_login_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  external_issuer: ColumnType<string | null, string | null | undefined, string | null>
  external_subject: ColumnType<string | null, string | null | undefined, string | null>
  totp_key: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>
  totp_pending_key: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>
  totp_enabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** bigint: pg returns it as a string, PGlite as a number — compare with Number(). */
  totp_last_step: ColumnType<string | number | null, number | null | undefined, number | null>
}

export interface RecoveryCodesTable {
  id: Generated<string>
  user_id: string
  code_hash: Uint8Array
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface LoginRequestsTable {
  id: string
  kind: 'oidc' | 'saml' | 'mfa'
  user_id: string | null
  data: ColumnType<Record<string, unknown>, string | undefined, string>
  expires_at: Timestamp
}

export interface SamlAssertionsTable {
  id: string
  expires_at: Timestamp
}

export interface SessionsTable {
  id: string
  secret_hash: Uint8Array
  user_id: string
  kind: 'browser' | 'api'
  created_at: DefaultTimestamp
  expires_at: Timestamp
  absolute_expires_at: Timestamp
  provider: ColumnType<'oidc' | 'saml' | null, 'oidc' | 'saml' | null | undefined, 'oidc' | 'saml' | null>
  provider_sid: ColumnType<string | null, string | null | undefined, string | null>
}

export type AuditAction = 'create' | 'update' | 'delete' | 'restore' | 'merge' | 'erase' | 'restrict' | 'extract' | 'export' | 'view'

export interface AuditLogTable {
  id: Generated<string>
  at: DefaultTimestamp
  user_id: string | null
  entity_type: string
  entity_id: string
  action: AuditAction
  changes: ColumnType<Record<string, [unknown, unknown]>, string, string>
}

export interface RateLimitsTable {
  key: string
  count: number
  reset_at: Timestamp
}

type NullableDate = ColumnType<string | null, string | null | undefined, string | null>
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
type StringArray = ColumnType<string[], string[] | undefined, string[]>
/** Filled in by the database from other columns; never written. */
type Derived<T> = ColumnType<T, never, never>

export type OrganisationKind =
  | 'authority' | 'ministry' | 'county_board' | 'municipality' | 'region' | 'ngo' | 'research'
  | 'media' | 'international' | 'partnership' | 'business' | 'other'

export interface ThemesTable extends RecordColumns {
  name: string
  parent_id: string | null
  description: string | null
  sort_name: string
  search_text: Generated<string>
}

export interface OrganisationsTable extends RecordColumns {
  name: string
  short_name: string | null
  kind: OrganisationKind
  country: Generated<string>
  county: string | null
  org_number: string | null
  website: string | null
  parent_id: string | null
  influence: number | null
  interest: number | null
  tags: StringArray
  theme_ids: StringArray
  notes: string | null
  sort_name: string
  search_text: Generated<string>
  search_vector: Derived<string>
  merged_into_id: string | null
}

export interface ContactsTable extends RecordColumns {
  first_name: string | null
  last_name: string | null
  email: string | null
  phone: string | null
  title: string | null
  categories: StringArray
  influence: number | null
  interest: number | null
  county: string | null
  language: string | null
  tags: StringArray
  theme_ids: StringArray
  notes: string | null
  sort_name: string
  search_text: Generated<string>
  search_vector: Derived<string>
  merged_into_id: string | null
  erased_at: NullableTimestamp
  lawful_basis: Generated<LawfulBasis>
  lawful_basis_note: string | null
  protected_identity: Generated<boolean>
  /** Set only by the restriction of processing (src/privacy/restriction.ts), never by a form. */
  restricted: Generated<boolean>
}

export type LawfulBasis = 'public_task' | 'consent' | 'legitimate_interest' | 'contract' | 'legal_obligation'
export type ConsentMethod = 'form' | 'email' | 'in_person' | 'phone' | 'other'

export interface ConsentTextsTable {
  id: Generated<string>
  purpose: string
  version: number
  hash: string
  text: string
  created_at: DefaultTimestamp
}

export interface ConsentsTable {
  id: Generated<string>
  contact_id: string
  purpose: string
  given_at: Timestamp
  method: ConsentMethod
  text_id: string
  withdrawn_at: NullableTimestamp
  withdrawn_method: ConsentMethod | 'link' | null
  created_by: string | null
  created_at: DefaultTimestamp
}

export interface RegisterSettingsTable {
  id: Generated<boolean>
  purpose: string | null
  controller: string | null
  dpo_contact: string | null
  recipients: string | null
  source: string | null
  version: Generated<number>
  updated_at: DefaultTimestamp
}

export interface RetentionDecisionsTable extends RecordColumns {
  reference: string
  title: string
  decided_on: string
  covers: string | null
  retention_period: string | null
}

export type RetentionKind = 'contacts_not_engaged' | 'interaction_notes' | 'unconfirmed_subscriptions' | 'import_uploads'

export interface RetentionRulesTable extends RecordColumns {
  kind: RetentionKind
  months: number
  action: Generated<'review' | 'restrict' | 'anonymise' | 'delete'>
  automatic: Generated<boolean>
  decision_id: string
}

export interface RetentionReviewsTable {
  id: Generated<string>
  entity_type: string
  entity_id: string
  reason: string
  review_on: string
  user_id: string | null
  at: DefaultTimestamp
}

export interface CullingLogTable {
  id: Generated<string>
  at: DefaultTimestamp
  user_id: string | null
  decision_id: string | null
  rule_id: string | null
  entity_type: string
  action: string
  count: number
  entity_ids: StringArray
}

export interface AffiliationsTable {
  id: Generated<string>
  contact_id: string
  organisation_id: string
  role: string | null
  start_date: NullableDate
  end_date: NullableDate
  is_primary: Generated<boolean>
}

export interface InteractionsTable extends RecordColumns {
  kind: 'meeting' | 'call' | 'email' | 'note'
  occurred_on: string
  summary: string
  follow_up_on: NullableDate
  follow_up_assignee_id: string | null
  follow_up_done_at: NullableTimestamp
  /** What to do when following up, in a line (at most 200 characters). */
  follow_up_note: string | null
  created_by: string | null
}

export interface InteractionLinksTable {
  interaction_id: string
  contact_id: string | null
  organisation_id: string | null
}

export interface ImportMappingsTable {
  header_key: string
  entity: string
  mapping: ColumnType<Record<string, string>, string, string>
  updated_at: DefaultTimestamp
}

export type ImportEntity = 'organisations' | 'contacts'

/** A piece of an uploaded file, in order (src/import/upload-store.ts). */
export interface ImportUploadChunksTable {
  upload_id: string
  seq: number
  content: string
}

export interface ImportUploadsTable {
  id: Generated<string>
  user_id: string
  entity: ImportEntity
  filename: string
  /** How many pieces the file is stored in (import_upload_chunks); null while storing and once emptied. */
  chunks: number | null
  delimiter: string
  mapping: ColumnType<Record<string, string> | null, string | null | undefined, string | null>
  options: ColumnType<Record<string, string>, string | undefined, string>
  report_id: string | null
  created_at: DefaultTimestamp
}

export interface FailedImportRow {
  line: number
  cells: string[]
  error: string
}

export interface ImportReportsTable {
  id: Generated<string>
  user_id: string
  entity: ImportEntity
  filename: string
  total: number
  created: number
  updated: number
  unchanged: number
  skipped: number
  failed: number
  headers: ColumnType<string[], string, string>
  failed_rows: ColumnType<FailedImportRow[], string, string>
  created_at: DefaultTimestamp
  status: ColumnType<ImportStatus, ImportStatus | undefined, ImportStatus>
  /** Rows written so far, while it runs. */
  done: Generated<number>
  heartbeat_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  undone_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  undone_by: string | null
  kept: ColumnType<KeptRecord[], string | undefined, string>
}

export type ImportStatus = 'running' | 'done' | 'failed' | 'undoing' | 'undone'

/** A record an undo left as it was, because it changed after the import (its name is looked up when shown). */
export interface KeptRecord {
  type: 'organisation' | 'contact'
  id: string
}

export interface ImportChangesTable {
  id: Generated<string>
  report_id: string
  entity_type: 'organisation' | 'contact'
  entity_id: string
  action: 'create' | 'update'
  audit_id: string
  /** The record's version as the import left it: an undo changes it only if it is still this. */
  version: number
  state: ColumnType<'applied' | 'undone' | 'kept', 'applied' | 'undone' | 'kept' | undefined, 'applied' | 'undone' | 'kept'>
}

export type AllianceStatus = 'exploring' | 'proposed' | 'active' | 'dormant' | 'ended'
export type AllianceRole = 'lead' | 'partner' | 'supporter'
export type CommitmentStatus = 'open' | 'done' | 'dropped'

export interface AllianceLink {
  label: string
  url: string
}

export interface AlliancesTable extends RecordColumns {
  name: string
  purpose: string | null
  /** Defaults to 'exploring'. */
  status: ColumnType<AllianceStatus, AllianceStatus | undefined, AllianceStatus>
  start_date: NullableDate
  end_date: NullableDate
  review_date: NullableDate
  next_step: string | null
  links: ColumnType<AllianceLink[], string | undefined, string>
  theme_ids: StringArray
  notes: string | null
  sort_name: string
  search_text: Generated<string>
}

export interface AllianceMembersTable {
  id: Generated<string>
  alliance_id: string
  organisation_id: string
  role: AllianceRole
  contact_id: string | null
  start_date: NullableDate
  end_date: NullableDate
}

export interface CommitmentsTable {
  id: Generated<string>
  alliance_id: string
  organisation_id: string
  description: string
  due_date: NullableDate
  status: ColumnType<CommitmentStatus, CommitmentStatus | undefined, CommitmentStatus>
  done_at: NullableTimestamp
}

export interface AllianceStatusChangesTable {
  id: Generated<string>
  alliance_id: string
  from_status: AllianceStatus | null
  to_status: AllianceStatus
  at: DefaultTimestamp
  user_id: string | null
  reason: string | null
}

export type BodyKind = 'steering_group' | 'reference_group' | 'network' | 'working_group' | 'thematic_group' | 'contact_points' | 'other'
export type SeatRole = 'chair' | 'vice_chair' | 'member' | 'deputy' | 'secretary' | 'observer'
export type RelationshipType = 'funds' | 'reports_to' | 'partner_of' | 'member_of' | 'advises'

export interface BodiesTable extends RecordColumns {
  name: string
  kind: BodyKind
  description: string | null
  sort_name: string
  search_text: Generated<string>
}

/** Part of the body record: a contact's seat, for the organisation they represent, over a period. */
export interface BodySeatsTable {
  id: Generated<string>
  body_id: string
  contact_id: string
  organisation_id: string | null
  role: SeatRole
  start_date: NullableDate
  end_date: NullableDate
}

export interface OrganisationRelationshipsTable extends RecordColumns {
  from_organisation_id: string
  to_organisation_id: string
  type: RelationshipType
  start_date: NullableDate
  end_date: NullableDate
  note: string | null
}

export type ActivityType =
  | 'conference' | 'seminar' | 'workshop' | 'course' | 'report' | 'article' | 'newsletter' | 'website'
  | 'visibility_event' | 'meeting' | 'policy_input' | 'study_visit' | 'other'

/** Columns shared by the dissemination records (projects, products, activities, plans). */
interface DisseminationRecord extends RecordColumns {
  sort_name: string
  search_text: Generated<string>
  theme_ids: StringArray
}

export interface ProjectsTable extends DisseminationRecord {
  name: string
  programme: 'equal' | 'erf' | 'amif' | 'esf' | 'national' | 'nordic' | 'other' | null
  start_date: NullableDate
  end_date: NullableDate
  status: Generated<'planned' | 'running' | 'finished' | 'cancelled'>
  lead_organisation_id: string | null
  evaluation: string | null
  notes: string | null
}

export interface ProjectPartnersTable {
  id: Generated<string>
  project_id: string
  organisation_id: string
  role: string | null
}

export interface ProductsTable extends DisseminationRecord {
  title: string
  kind: 'report' | 'manual' | 'film' | 'method' | 'training' | 'conference_format' | 'website' | 'other'
  project_id: string | null
  url: string | null
  summary: string | null
  good_practice_status: 'candidate' | 'validated' | 'rejected' | null
  public: Generated<boolean>
}

export interface ActivitiesTable extends DisseminationRecord {
  title: string
  type: ActivityType
  status: Generated<'planned' | 'done' | 'cancelled'>
  start_date: NullableDate
  end_date: NullableDate
  location: string | null
  online: Generated<boolean>
  level: 'horizontal' | 'vertical' | null
  product_ids: StringArray
  audience_size: number | null
  outcome: string | null
  influence_organisation_id: string | null
  influence_body_id: string | null
  influence_request: string | null
  influence_result: 'adopted' | 'partly' | 'not' | 'unknown' | null
  influence_evidence: string | null
  influence_result_date: NullableDate
}

export type Attendance = 'invited' | 'registered' | 'attended' | 'received' | 'no_show'

export interface ActivityParticipantsTable {
  id: Generated<string>
  activity_id: string
  contact_id: string | null
  organisation_id: string | null
  role: Generated<'organiser' | 'speaker' | 'participant' | 'recipient'>
  attendance: Generated<Attendance>
}

export interface PlanTarget {
  organisation_ids?: string[]
  contact_ids?: string[]
  /** `affiliated_kinds`: people currently affiliated with an organisation of these kinds (src/plans/plan-targets.ts). */
  filter?: { kinds?: string[]; categories?: string[]; counties?: string[]; theme_ids?: string[]; affiliated_kinds?: string[]; title?: string[] | string; tags?: string[] }
  /** A saved segment (src/segments/): its members, resolved when progress is computed, are targets too. */
  segment_id?: string
}

/** A plan's target group size when last computed, and the one before it changed (issue 14). */
export interface PlanTargetSizesTable {
  plan_id: string
  contacts: number
  organisations: number
  previous_contacts: number | null
  previous_organisations: number | null
  changed_at: NullableTimestamp
  computed_at: Generated<Date>
}

export interface PlansTable extends DisseminationRecord {
  name: string
  goal: string | null
  deadline: NullableDate
  status: Generated<'draft' | 'active' | 'achieved' | 'closed'>
  target: ColumnType<PlanTarget, string | undefined, string>
  product_ids: StringArray
  qualifying_attendance: StringArray
}

export interface CalendarFeedsTable {
  user_id: string
  token_hash: Uint8Array
  created_at: DefaultTimestamp
}

/** Server-side layout positions of a large network view (src/network/layout.ts). */
export interface NetworkLayoutCacheTable {
  view_key: string
  data_version: string
  positions: ColumnType<Record<string, [number, number]>, string, string>
  created_at: DefaultTimestamp
}

export interface NetworkLayoutClaimsTable {
  view_key: string
  data_version: string
  claimed_at: DefaultTimestamp
}

export interface NewsletterListsTable extends RecordColumns {
  name: string
  description: string | null
  public: Generated<boolean>
  /** Recipients from this saved segment instead of (besides) the list's subscribers. */
  segment_id: Generated<string | null>
}

/** The filter of a saved segment (src/segments/segments.schema.ts); each field "any of", fields ANDed. */
export interface SegmentFilter {
  categories?: string[]
  counties?: string[]
  theme_ids?: string[]
  tags?: string[]
  title?: string
  affiliated_kinds?: string[]
  organisation_ids?: string[]
  alliance_ids?: string[]
  body_ids?: string[]
  activity_ids?: string[]
  attendance?: string[]
  list_ids?: string[]
}

export interface SegmentsTable extends RecordColumns {
  name: string
  description: string | null
  filter: ColumnType<SegmentFilter, string | undefined, string>
  include_ids: StringArray
  exclude_ids: StringArray
  sort_name: string
}

/** A saved view of the network page: its query and layout positions (node id → x, y). */
export interface NetworkViewsTable extends RecordColumns {
  name: string
  query: string
  positions: ColumnType<Record<string, { x: number; y: number }>, string | undefined, string>
  created_by: string | null
}

/** A name a user gave a network community, kept while `anchor_id` is its most central member. */
export interface CommunityNamesTable extends RecordColumns {
  anchor_id: string
  name: string
  /** The group's node ids when it was named (what keeps the name, src/network-page/network-page.data.ts); null before. */
  members: ColumnType<string[] | null, string | null | undefined, string | null>
  created_by: string | null
}

/** How far the demo network loaded from /setup has come: one row, shared by every instance (src/setup/demo-load.ts). */
export interface DemoLoadsTable {
  id: number
  admin_id: string | null
  step: string
  percent: number
  status: 'running' | 'done' | 'failed'
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export type SubscriptionStatus = 'pending' | 'subscribed' | 'unsubscribed'

export interface NewsletterSubscriptionsTable {
  id: Generated<string>
  list_id: string
  contact_id: string
  status: Generated<SubscriptionStatus>
  consent_text: string | null
  confirmed_at: NullableTimestamp
  unsubscribed_at: NullableTimestamp
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export interface MailStandingTable {
  contact_id: string
  no_bulk_at: NullableTimestamp
  hard_bounces: Generated<number>
  held_at: NullableTimestamp
  updated_at: DefaultTimestamp
}

export interface MailTokensTable {
  id: Generated<string>
  token_hash: Uint8Array
  purpose: 'confirm'
  contact_id: string
  list_ids: StringArray
  expires_at: Timestamp
  used_at: NullableTimestamp
  created_at: DefaultTimestamp
}

export interface NewsletterIssuesTable extends RecordColumns {
  subject: string
  body: string
  list_ids: StringArray
  theme_ids: StringArray
  status: Generated<'draft' | 'scheduled' | 'sending' | 'sent'>
  scheduled_at: NullableTimestamp
  sent_at: NullableTimestamp
  activity_id: string | null
  /** A one-off audience: this segment's members (besides the lists' subscribers). */
  segment_id: Generated<string | null>
  /** What was composed (src/newsletter/compose.ts); null for an issue sent as plain text. */
  content: ColumnType<IssueContent | null, string | null | undefined, string | null>
  /** The HTML rendering of `content`, frozen when composed; `body` is its text rendering. */
  body_html: Generated<string | null>
}

export interface IssueContent {
  intro: string
  sections: { heading: string; text: string; product_ids: string[]; activity_ids: string[]; idea_ids: string[] }[]
}

/** A question on an event's registration form (dietary needs, workshop choice). */
export interface EventQuestion {
  id: string
  label: string
  kind: 'text' | 'choice'
  options: string[]
  required: boolean
}

export interface EventRegistrationSettingsTable extends RecordColumns {
  activity_id: string
  open: Generated<boolean>
  capacity: number | null
  deadline: NullableDate
  questions: ColumnType<EventQuestion[], string | undefined, string>
}

export interface EventRegistrationsTable {
  id: Generated<string>
  activity_id: string
  contact_id: string
  status: 'registered' | 'waitlisted' | 'cancelled'
  answers: ColumnType<Record<string, string>, string | undefined, string>
  lang: Generated<'sv' | 'en'>
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
  promoted_at: NullableTimestamp
  cancelled_at: NullableTimestamp
}

export interface EventTokensTable {
  id: Generated<string>
  token_hash: Uint8Array
  purpose: 'cancel'
  registration_id: string
  expires_at: Timestamp
  used_at: NullableTimestamp
  created_at: DefaultTimestamp
}

export interface EventInvitationsTable {
  id: Generated<string>
  activity_id: string
  contact_id: string
  email: string
  lang: Generated<'sv' | 'en'>
  status: Generated<'pending' | 'sending' | 'sent' | 'failed'>
  attempts: Generated<number>
  claimed_at: NullableTimestamp
  sent_at: NullableTimestamp
  error: string | null
  created_at: DefaultTimestamp
}

export interface NewsletterDeliveriesTable {
  id: Generated<string>
  issue_id: string
  contact_id: string
  email: string
  status: Generated<'pending' | 'sending' | 'sent' | 'failed'>
  token_hash: Uint8Array | null
  attempts: Generated<number>
  claimed_at: NullableTimestamp
  sent_at: NullableTimestamp
  error: string | null
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  audit_log: AuditLogTable
  rate_limits: RateLimitsTable
  recovery_codes: RecoveryCodesTable
  login_requests: LoginRequestsTable
  saml_assertions: SamlAssertionsTable
  themes: ThemesTable
  organisations: OrganisationsTable
  contacts: ContactsTable
  affiliations: AffiliationsTable
  interactions: InteractionsTable
  interaction_links: InteractionLinksTable
  import_mappings: ImportMappingsTable
  import_uploads: ImportUploadsTable
  import_upload_chunks: ImportUploadChunksTable
  import_reports: ImportReportsTable
  import_changes: ImportChangesTable
  alliances: AlliancesTable
  alliance_members: AllianceMembersTable
  commitments: CommitmentsTable
  alliance_status_changes: AllianceStatusChangesTable
  bodies: BodiesTable
  body_seats: BodySeatsTable
  organisation_relationships: OrganisationRelationshipsTable
  projects: ProjectsTable
  project_partners: ProjectPartnersTable
  products: ProductsTable
  activities: ActivitiesTable
  activity_participants: ActivityParticipantsTable
  plans: PlansTable
  plan_target_sizes: PlanTargetSizesTable
  calendar_feeds: CalendarFeedsTable
  network_layout_cache: NetworkLayoutCacheTable
  network_layout_claims: NetworkLayoutClaimsTable
  consent_texts: ConsentTextsTable
  consents: ConsentsTable
  register_settings: RegisterSettingsTable
  retention_decisions: RetentionDecisionsTable
  retention_rules: RetentionRulesTable
  retention_reviews: RetentionReviewsTable
  culling_log: CullingLogTable
  newsletter_lists: NewsletterListsTable
  newsletter_subscriptions: NewsletterSubscriptionsTable
  mail_standing: MailStandingTable
  mail_tokens: MailTokensTable
  newsletter_issues: NewsletterIssuesTable
  newsletter_deliveries: NewsletterDeliveriesTable
  event_registration_settings: EventRegistrationSettingsTable
  event_registrations: EventRegistrationsTable
  event_tokens: EventTokensTable
  event_invitations: EventInvitationsTable
  segments: SegmentsTable
  network_views: NetworkViewsTable
  community_names: CommunityNamesTable
  demo_loads: DemoLoadsTable
}

/** Tables that go through the audited write path (src/db/write.ts). */
export type VersionedTable = 'users' | 'themes' | 'organisations' | 'contacts' | 'interactions' | 'alliances' | 'bodies' | 'organisation_relationships'
  | 'projects' | 'products' | 'activities' | 'plans' | 'retention_decisions' | 'retention_rules'
  | 'newsletter_lists' | 'newsletter_issues' | 'event_registration_settings' | 'segments' | 'network_views' | 'community_names'

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
export type Session = Selectable<SessionsTable>
export type AuditEntry = Selectable<AuditLogTable>
export type Theme = Selectable<ThemesTable>
export type Organisation = Selectable<OrganisationsTable>
export type Contact = Selectable<ContactsTable>
export type Affiliation = Selectable<AffiliationsTable>
export type Interaction = Selectable<InteractionsTable>
export type Project = Selectable<ProjectsTable>
export type Product = Selectable<ProductsTable>
export type Activity = Selectable<ActivitiesTable>
export type ActivityParticipant = Selectable<ActivityParticipantsTable>
export type Plan = Selectable<PlansTable>
export type Alliance = Selectable<AlliancesTable>
export type AllianceMember = Selectable<AllianceMembersTable>
export type Commitment = Selectable<CommitmentsTable>
export type Body = Selectable<BodiesTable>
export type BodySeat = Selectable<BodySeatsTable>
export type OrganisationRelationship = Selectable<OrganisationRelationshipsTable>
