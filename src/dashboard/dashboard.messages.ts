export const sv = {
  'dash.overdue': 'Mina försenade uppföljningar',
  'dash.overdue_empty': 'Du har inga försenade uppföljningar.',
  'dash.upcoming': 'Kommande uppföljningar',
  'dash.upcoming_hint': 'Dina uppföljningar de närmaste {days} dagarna.',
  'dash.upcoming_empty': 'Inga uppföljningar de närmaste {days} dagarna. När du loggar en kontakt på en organisations eller persons sida kan du ange ett datum att följa upp den.',
  'dash.go_organisations': 'Till organisationerna',
  'dash.back_to_dashboard': 'Tillbaka till översikten',
  'dash.recent_empty': 'Inga ändringar i registret ännu. Börja med att lägga till en organisation.',
  'dash.add_organisation': 'Lägg till en organisation',
  'dash.unnamed': '(utan namn)',
} as const

export const en: Record<keyof typeof sv, string> = {
  'dash.overdue': 'My overdue follow-ups',
  'dash.overdue_empty': 'You have no overdue follow-ups.',
  'dash.upcoming': 'Upcoming follow-ups',
  'dash.upcoming_hint': 'Your follow-ups in the next {days} days.',
  'dash.upcoming_empty': 'No follow-ups in the next {days} days. When you log an interaction on an organisation’s or a person’s page you can set a date to follow it up.',
  'dash.go_organisations': 'Go to the organisations',
  'dash.back_to_dashboard': 'Back to the overview',
  'dash.recent_empty': 'No changes in the register yet. Start by adding an organisation.',
  'dash.add_organisation': 'Add an organisation',
  'dash.unnamed': '(no name)',
}

// This feature's keys join the app's catalogue (its texts arrive through feature.ts).
type OwnKeys = keyof typeof sv
declare module '../web/i18n/catalogue.ts' {
  interface Catalogue extends Record<OwnKeys, string> {}
}
