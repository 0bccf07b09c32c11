export const sv = {
  'setup.demo': 'Ladda demonätverket',
  'setup.demo_hint': 'Fyller registret med ett exempel: den nationella temagruppen asyl & integration med myndigheter, länsstyrelser, kommuner och organisationer (verkliga), och omkring tusen påhittade personer. Tar en stund; du ser hur långt det har kommit.',
  'setup.done_demo': 'Administratören är skapad, du är inloggad och demonätverket är laddat.',
  'setup.demo_failed': 'Administratören är skapad, men demonätverket kunde inte laddas. Kör npm run seed:demo på servern.',
  'setup.demo_loading_title': 'Demonätverket laddas',
  'setup.demo_loading_intro': 'Administratören är skapad och du är inloggad. Exemplet läggs in steg för steg; sidan går vidare till översikten när allt är klart.',
  'setup.demo_progress_label': 'Hur långt laddningen har kommit',
  'setup.demo_progress': '{percent} % klart – {step}',
  'setup.demo_refresh': 'Uppdatera',
  'setup.demo_step.themes': 'teman',
  'setup.demo_step.organisations': 'organisationer',
  'setup.demo_step.contacts': 'personer och deras anställningar',
  'setup.demo_step.interactions': 'möten, samtal och anteckningar',
  'setup.demo_step.projects': 'projekt och produkter',
  'setup.demo_step.bodies': 'styrgrupp och referensgrupp',
  'setup.demo_step.alliances': 'allianser',
  'setup.demo_step.activities': 'aktiviteter och deltagare',
  'setup.demo_step.plans': 'spridningsplaner',
  'setup.demo_step.newsletters': 'nyhetsbrev',
  'setup.demo_step.statistics': 'statistik för sökningarna',
  'setup.demo_step.done': 'klart',
} as const

export const en: Record<keyof typeof sv, string> = {
  'setup.demo': 'Load the demo network',
  'setup.demo_hint': 'Fills the register with an example: the national thematic group on asylum & integration with agencies, county boards, municipalities and organisations (real), and about a thousand made-up people. Takes a while; you see how far it has come.',
  'setup.done_demo': 'The administrator is created, you are logged in and the demo network is loaded.',
  'setup.demo_failed': 'The administrator is created, but the demo network could not be loaded. Run npm run seed:demo on the server.',
  'setup.demo_loading_title': 'Loading the demo network',
  'setup.demo_loading_intro': 'The administrator is created and you are logged in. The example is added step by step; the page moves on to the dashboard when everything is in place.',
  'setup.demo_progress_label': 'How far the loading has come',
  'setup.demo_progress': '{percent} % done – {step}',
  'setup.demo_refresh': 'Refresh',
  'setup.demo_step.themes': 'themes',
  'setup.demo_step.organisations': 'organisations',
  'setup.demo_step.contacts': 'people and their employments',
  'setup.demo_step.interactions': 'meetings, calls and notes',
  'setup.demo_step.projects': 'projects and products',
  'setup.demo_step.bodies': 'steering group and reference group',
  'setup.demo_step.alliances': 'alliances',
  'setup.demo_step.activities': 'activities and participants',
  'setup.demo_step.plans': 'dissemination plans',
  'setup.demo_step.newsletters': 'newsletters',
  'setup.demo_step.statistics': 'statistics for the searches',
  'setup.demo_step.done': 'done',
}

// This feature's keys join the app's catalogue (its texts arrive through feature.ts).
type OwnKeys = keyof typeof sv
declare module '../web/i18n/catalogue.ts' {
  interface Catalogue extends Record<OwnKeys, string> {}
}
