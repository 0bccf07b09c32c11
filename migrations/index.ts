import type { Migration } from 'kysely/migration'
import * as foundation from './20261122T0100_foundation.ts'
import * as register from './20261122T0200_register.ts'
import * as search from './20261122T0320_search.ts'
import * as importTables from './20261122T0330_import.ts'
import * as alliances from './20261122T0400_alliances.ts'
import * as bodiesRelationships from './20261122T0410_bodies_relationships.ts'
import * as dissemination from './20261122T0500_dissemination.ts'
import * as projectsProducts from './20261122T0530_projects_products.ts'
import * as networkLayoutCache from './20261122T0600_network_layout_cache.ts'
import * as personalData from './20261203T0630_personal_data.ts'
import * as auditView from './20261203T0750_audit_view.ts'
import * as segments from './20261203T0950_segments.ts'
import * as planTargetSizes from './20261203T1020_plan_target_sizes.ts'
import * as issueContent from './20261203T1040_issue_content.ts'
import * as communityNames from './20261203T1310_community_names.ts'
import * as signIn from './20261203T0700_sign_in.ts'
import * as importUndo from './20261203T0710_import_undo.ts'
import * as followUpNote from './20261203T0730_follow_up_note.ts'
import * as outreach from './20261203T0740_outreach.ts'
import * as eventRegistration from './20261203T0940_event_registration.ts'
import * as networkViews from './20261203T1030_network_views.ts'
import * as networkLayoutClaims from './20261203T1300_network_layout_claims.ts'
import * as importUploadChunks from './20261203T1345_import_upload_chunks.ts'
import * as dataVersion from './20261203T1620_data_version.ts'
import * as communityNameMembers from './20261203T1640_community_name_members.ts'
import * as demoLoads from './20261203T1650_demo_loads.ts'
import * as dataVersionNetwork from './20261203T1910_data_version_network.ts'
import * as hiddenContacts from './20261204T0100_hidden_contacts.ts'
import * as personAndInfluenceIndexes from './20261204T0110_person_and_influence_indexes.ts'
import * as searchWords from './20261205T0100_search_words.ts'
import * as searchWordsLetters from './20261205T2000_search_words_letters.ts'
import * as ginShortPendingLists from './20261205T2240_gin_short_pending_lists.ts'
import * as exactNames from './20261206T0200_exact_names.ts'
import * as exactNamesLive from './20261206T0530_exact_names_live.ts'
import * as searchTextLetters from './20261206T1620_search_text_letters.ts'
import * as searchTextMoreLetters from './20261206T1740_search_text_more_letters.ts'
import * as privacyVersion from './20261206T2300_privacy_version.ts'
import * as tableVersions from './20261207T0200_table_versions.ts'
import * as participationMarks from './20261207T0400_participation_marks.ts'
import * as searchWalkIndexes from './20261207T1100_search_walk_indexes.ts'
import * as detailsCountedApart from './20261207T1400_details_counted_apart.ts'
import * as namesCountedApart from './20261207T1500_names_counted_apart.ts'
import * as searchWalkText from './20261207T1900_search_walk_text.ts'

/** This folder (migrations/ in the sources, dist/migrations in the build): src/db/template.ts digests its files. */
export const MIGRATIONS_DIR = import.meta.dirname

/**
 * Every migration, by name. Listed by hand rather than read from the folder so that the
 * compiled build and the TypeScript sources run the same set (a test checks none is missing).
 */
export const migrations: Record<string, Migration> = {
  '20261122T0100_foundation': foundation,
  '20261122T0200_register': register,
  '20261122T0320_search': search,
  '20261122T0330_import': importTables,
  '20261122T0400_alliances': alliances,
  '20261122T0410_bodies_relationships': bodiesRelationships,
  '20261122T0500_dissemination': dissemination,
  '20261122T0530_projects_products': projectsProducts,
  '20261122T0600_network_layout_cache': networkLayoutCache,
  '20261203T0630_personal_data': personalData,
  '20261203T0700_sign_in': signIn,
  '20261203T0710_import_undo': importUndo,
  '20261203T0730_follow_up_note': followUpNote,
  '20261203T0740_outreach': outreach,
  '20261203T0750_audit_view': auditView,
  '20261203T0940_event_registration': eventRegistration,
  '20261203T0950_segments': segments,
  '20261203T1020_plan_target_sizes': planTargetSizes,
  '20261203T1030_network_views': networkViews,
  '20261203T1040_issue_content': issueContent,
  '20261203T1300_network_layout_claims': networkLayoutClaims,
  '20261203T1310_community_names': communityNames,
  '20261203T1345_import_upload_chunks': importUploadChunks,
  '20261203T1620_data_version': dataVersion,
  '20261203T1640_community_name_members': communityNameMembers,
  '20261203T1650_demo_loads': demoLoads,
  '20261203T1910_data_version_network': dataVersionNetwork,
  '20261204T0100_hidden_contacts': hiddenContacts,
  '20261204T0110_person_and_influence_indexes': personAndInfluenceIndexes,
  '20261205T0100_search_words': searchWords,
  '20261205T2000_search_words_letters': searchWordsLetters,
  '20261205T2240_gin_short_pending_lists': ginShortPendingLists,
  '20261206T0200_exact_names': exactNames,
  '20261206T0530_exact_names_live': exactNamesLive,
  '20261206T1620_search_text_letters': searchTextLetters,
  '20261206T1740_search_text_more_letters': searchTextMoreLetters,
  '20261206T2300_privacy_version': privacyVersion,
  '20261207T0200_table_versions': tableVersions,
  '20261207T0400_participation_marks': participationMarks,
  '20261207T1100_search_walk_indexes': searchWalkIndexes,
  '20261207T1400_details_counted_apart': detailsCountedApart,
  '20261207T1500_names_counted_apart': namesCountedApart,
  '20261207T1900_search_walk_text': searchWalkText,
}
