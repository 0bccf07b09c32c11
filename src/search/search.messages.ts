export const sv = {
  'search.title': 'Sök',
  'search.title_for': 'Sök: {q}',
  'search.label': 'Sök i registret',
  'search.header_label': 'Sök i hela registret',
  'search.button': 'Sök',
  'search.hint': 'Sök på namn, förkortning, e-post, titel eller organisationsnummer. Stavfel och å, ä, ö, ø, æ spelar ingen roll. Tryck / för att komma hit från vilken sida som helst.',
  'search.types': 'Sök bland',
  'search.empty': 'Skriv vad du letar efter.',
  'search.too_short': 'Skriv minst två tecken.',
  'search.no_match': 'Inget i registret matchar ”{q}”. Pröva färre eller andra ord.',
  'search.summary': '{count} träffar för ”{q}”',
  'search.summary.one': '{count} träff för ”{q}”',
  'search.count': '{count} träffar',
  'search.count.one': '{count} träff',
  'search.more': 'Fler än {count} träffar',
  'search.show_all': 'Visa alla i listan',
  'search.type.organisation': 'Organisationer',
  'search.type.contact': 'Kontaktpersoner',
  'search.type.theme': 'Teman',
} as const

export const en: Record<keyof typeof sv, string> = {
  'search.title': 'Search',
  'search.title_for': 'Search: {q}',
  'search.label': 'Search the register',
  'search.header_label': 'Search the whole register',
  'search.button': 'Search',
  'search.hint': 'Search by name, short name, e-mail, title or organisation number. Typos and å, ä, ö, ø, æ do not matter. Press / to get here from any page.',
  'search.types': 'Search in',
  'search.empty': 'Type what you are looking for.',
  'search.too_short': 'Type at least two characters.',
  'search.no_match': 'Nothing in the register matches “{q}”. Try fewer or other words.',
  'search.summary': '{count} results for “{q}”',
  'search.summary.one': '{count} result for “{q}”',
  'search.count': '{count} results',
  'search.count.one': '{count} result',
  'search.more': 'More than {count} results',
  'search.show_all': 'Show all in the list',
  'search.type.organisation': 'Organisations',
  'search.type.contact': 'Contacts',
  'search.type.theme': 'Themes',
}

// This feature's keys join the app's catalogue (its texts arrive through feature.ts).
type OwnKeys = keyof typeof sv
declare module '../web/i18n/catalogue.ts' {
  interface Catalogue extends Record<OwnKeys, string> {}
}
