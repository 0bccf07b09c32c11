export const sv = {
  'setup.demo': 'Ladda demonätverket',
  'setup.demo_hint': 'Fyller registret med ett exempel: den nationella temagruppen asyl & integration med myndigheter, länsstyrelser, kommuner och organisationer (verkliga), och omkring tusen påhittade personer. Tar några sekunder.',
  'setup.done_demo': 'Administratören är skapad, du är inloggad och demonätverket är laddat.',
  'setup.demo_failed': 'Administratören är skapad, men demonätverket kunde inte laddas. Kör npm run seed:demo på servern.',
} as const

export const en: Record<keyof typeof sv, string> = {
  'setup.demo': 'Load the demo network',
  'setup.demo_hint': 'Fills the register with an example: the national thematic group on asylum & integration with agencies, county boards, municipalities and organisations (real), and about a thousand made-up people. Takes a few seconds.',
  'setup.done_demo': 'The administrator is created, you are logged in and the demo network is loaded.',
  'setup.demo_failed': 'The administrator is created, but the demo network could not be loaded. Run npm run seed:demo on the server.',
}

// This feature's keys join the app's catalogue (its texts arrive through feature.ts).
type OwnKeys = keyof typeof sv
declare module '../web/i18n/catalogue.ts' {
  interface Catalogue extends Record<OwnKeys, string> {}
}
