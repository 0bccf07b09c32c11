import type { OrganisationKind } from '../db/schema.ts'
import type { County } from '../register/counties.ts'
import { COUNTIES } from '../register/counties.ts'

/**
 * The demo network: the national thematic group on asylum & integration (NTG-asyl, 2002–2008,
 * ../shared/seeds) and the Nordic/EU integration cooperation around it. Organisations are real
 * public bodies (public facts); development partnerships marked "fiktivt" are invented. People
 * are generated from the name lists at the end and are fictional.
 *
 * Organisations are named uniquely: the name is the natural key that makes the seed idempotent
 * and that `parent` refers to. Themes are paths ("Asyl och mottagning/Ensamkommande barn").
 */
export interface DemoOrganisation {
  name: string
  kind: OrganisationKind
  short_name?: string
  county?: County
  country?: string
  /** Only where certain; otherwise left empty rather than guessed. */
  org_number?: string
  website?: string
  parent?: string
  themes?: string[]
  tags?: string[]
  notes?: string
  /** Fixed scores; otherwise drawn from the kind's usual range. `null` = not assessed. */
  influence?: number | null
  interest?: number | null
  /** Relative number of people working there now (0 = none: the body has closed). */
  weight?: number
  /** The day the body closed: everyone who worked there has an affiliation ending that day. */
  closed?: string
  /** When it began, if later than the people's careers would otherwise start. */
  opened?: string
}

export interface DemoTheme {
  name: string
  description: string
  children?: { name: string; description: string }[]
}

export const DEMO_TAG = 'demo'

export const DEMO_THEMES: DemoTheme[] = [
  {
    name: 'Asyl och mottagning',
    description: 'Asylprövning och mottagande av asylsökande: boende, sysselsättning och stöd under väntetiden.',
    children: [
      { name: 'Ensamkommande barn', description: 'Mottagande, boende och god man för barn som kommer utan sina föräldrar.' },
      { name: 'Väntetid och psykosocial hälsa', description: 'Väntans psykologi – asylsökandes hälsa under väntetiden (While we are waiting).' },
      { name: 'Traumatiserade flyktingar', description: 'Behandling och stöd för krigsskadade och torterade flyktingar.' },
    ],
  },
  {
    name: 'Introduktion för nyanlända',
    description: 'Kommunernas och myndigheternas introduktion för nyanlända flyktingar och invandrare (Överenskommelsen).',
    children: [
      { name: 'Samhällsorientering', description: 'Information om det svenska samhället på modersmålet.' },
      { name: 'Kommunmottagande', description: 'Överenskommelser om mottagande och bosättning i kommunerna.' },
    ],
  },
  {
    name: 'Arbetsmarknadsintegration',
    description: 'Vägar till arbete och egen försörjning för utrikes födda.',
    children: [
      { name: 'Validering', description: 'Validering och erkännande av utländsk utbildning och yrkeskompetens.' },
      { name: 'Hälsokommunikatörer', description: 'Utrikes födda med vårdutbildning som sprider hälsoinformation på modersmål (bl.a. ReKOMP).' },
      { name: 'Etnisk mångfald i arbetslivet', description: 'Att främja etnisk mångfald hos arbetsgivare och i rekrytering.' },
      { name: 'Mentorskap och praktik', description: 'Mentorprogram, arbetsplatspraktik och nätverk in i arbetslivet.' },
    ],
  },
  {
    name: 'Utbildning',
    description: 'Utbildning för nyanlända barn, unga och vuxna.',
    children: [
      { name: 'SFI', description: 'Svenskundervisning för invandrare.' },
      { name: 'Yrkessvenska', description: 'Svenska kombinerat med yrkesutbildning.' },
    ],
  },
  { name: 'Diskriminering', description: 'Diskriminering på grund av etnisk tillhörighet och religion; likabehandling.' },
  {
    name: 'Boende',
    description: 'Bostäder för asylsökande och nyanlända, segregation och stadsdelsutveckling.',
    children: [{ name: 'Eget boende', description: 'Asylsökande och nyanlända som ordnar sitt boende själva.' }],
  },
  {
    name: 'EU- och nordiskt samarbete',
    description: 'Samarbete inom EU och Norden om asyl och integration.',
    children: [
      { name: 'Equal', description: 'Gemenskapsinitiativet Equal och dess utvecklingspartnerskap.' },
      { name: 'Europeiska flyktingfonden', description: 'Projekt finansierade av Europeiska flyktingfonden (ERF).' },
      { name: 'Gemensamma grundläggande principer', description: 'EU:s gemensamma grundläggande principer för integration (2004).' },
      { name: 'Nordisk idébank', description: 'Nordens välfärdscenters idébank med metoder för integration.' },
    ],
  },
  { name: 'Civilsamhällets roll', description: 'Frivilligorganisationernas och de idéburna organisationernas roll i asyl- och flyktingmottagandet.' },
  { name: 'Forskning och utvärdering', description: 'Forskning, utvärdering och validering av projektresultat.' },
]

const AM = 'Arbetsmarknadsintegration'
const ASYL = 'Asyl och mottagning'
const INTRO = 'Introduktion för nyanlända'
const EU = 'EU- och nordiskt samarbete'

const ministries: DemoOrganisation[] = [
  { name: 'Regeringskansliet', kind: 'authority', county: 'Stockholms län', website: 'https://www.regeringen.se', influence: 5, interest: 2, weight: 1 },
  ...([
    ['Justitiedepartementet', 5, 4, [ASYL, `${EU}/Gemensamma grundläggande principer`]],
    ['Arbetsmarknadsdepartementet', 5, 4, [AM]],
    ['Integrations- och jämställdhetsdepartementet', null, null, [INTRO, 'Diskriminering']],
    ['Näringsdepartementet', 4, 2, [AM]],
    ['Utrikesdepartementet', 4, 2, [EU]],
    ['Socialdepartementet', 4, 3, [`${ASYL}/Ensamkommande barn`]],
    ['Utbildningsdepartementet', 4, 2, ['Utbildning']],
    ['Kulturdepartementet', 3, 2, ['Diskriminering']],
    ['Finansdepartementet', 5, 1, []],
  ] as const).map(([name, influence, interest, themes]): DemoOrganisation => ({
    name, kind: 'ministry', county: 'Stockholms län', parent: 'Regeringskansliet', influence, interest, themes: [...themes], weight: 5,
  })),
]
// 2007–2010: the people who worked there have moved on.
Object.assign(ministries.find((m) => m.name === 'Integrations- och jämställdhetsdepartementet')!, { opened: '2007-01-01', closed: '2010-12-31' })

const agencies: DemoOrganisation[] = [
  {
    name: 'Migrationsverket', kind: 'authority', county: 'Östergötlands län', org_number: '202100-2163', website: 'https://www.migrationsverket.se',
    parent: 'Justitiedepartementet', influence: 5, interest: 5, themes: [ASYL, `${EU}/Europeiska flyktingfonden`], tags: ['styrgrupp', 'strategisk allians'], weight: 14,
    notes: 'Projektägare för NTG-asyl och ordförande i styrgruppen; svarar för sekretariatet.',
  },
  {
    name: 'Integrationsverket', kind: 'authority', county: 'Östergötlands län', parent: 'Integrations- och jämställdhetsdepartementet',
    influence: null, interest: null, themes: [INTRO], tags: ['styrgrupp'], weight: 0, closed: '2007-06-30',
    notes: 'Medfinansiär av NTG-asyl. Avvecklades 2007-06-30; uppgifterna gick bl.a. till Migrationsverket och länsstyrelserna.',
  },
  {
    name: 'Svenska ESF-rådet', kind: 'authority', county: 'Stockholms län', website: 'https://www.esf.se', parent: 'Arbetsmarknadsdepartementet',
    influence: 5, interest: 5, themes: [`${EU}/Equal`, AM], tags: ['styrgrupp', 'strategisk allians'], weight: 10,
    notes: 'Förvaltar Equal i Sverige; tog initiativ till de nationella temagrupperna.',
  },
  { name: 'Arbetsförmedlingen', kind: 'authority', county: 'Stockholms län', website: 'https://arbetsformedlingen.se', parent: 'Arbetsmarknadsdepartementet', influence: 5, interest: 4, themes: [AM, `${AM}/Validering`], tags: ['strategisk allians'], weight: 10 },
  { name: 'Arbetsmarknadsstyrelsen', short_name: 'AMS', kind: 'authority', county: 'Stockholms län', parent: 'Arbetsmarknadsdepartementet', influence: null, interest: null, themes: [AM], weight: 0, closed: '2007-12-31', notes: 'Ersattes 2008 av Arbetsförmedlingen.' },
  { name: 'Socialstyrelsen', kind: 'authority', county: 'Stockholms län', website: 'https://www.socialstyrelsen.se', parent: 'Socialdepartementet', influence: 4, interest: 3, themes: [`${ASYL}/Ensamkommande barn`, `${ASYL}/Traumatiserade flyktingar`], weight: 6 },
  { name: 'Skolverket', kind: 'authority', county: 'Stockholms län', website: 'https://www.skolverket.se', parent: 'Utbildningsdepartementet', influence: 4, interest: 3, themes: ['Utbildning/SFI'], weight: 5 },
  { name: 'Myndigheten för skolutveckling', kind: 'authority', county: 'Stockholms län', parent: 'Utbildningsdepartementet', influence: null, interest: null, themes: ['Utbildning'], weight: 0, closed: '2008-09-30' },
  { name: 'Högskoleverket', kind: 'authority', county: 'Stockholms län', parent: 'Utbildningsdepartementet', influence: null, interest: null, themes: [`${AM}/Validering`], weight: 0, closed: '2012-12-31', notes: 'Bedömde utländsk högskoleutbildning.' },
  { name: 'Valideringsdelegationen', kind: 'authority', parent: 'Utbildningsdepartementet', influence: null, interest: null, themes: [`${AM}/Validering`], weight: 0, opened: '2004-01-01', closed: '2007-12-31' },
  { name: 'Ombudsmannen mot etnisk diskriminering', short_name: 'DO', kind: 'authority', county: 'Stockholms län', parent: 'Integrations- och jämställdhetsdepartementet', influence: null, interest: null, themes: ['Diskriminering'], weight: 0, closed: '2008-12-31' },
  { name: 'Diskrimineringsombudsmannen', short_name: 'DO', kind: 'authority', county: 'Stockholms län', website: 'https://www.do.se', parent: 'Arbetsmarknadsdepartementet', influence: 4, interest: 4, themes: ['Diskriminering'], weight: 4 },
  { name: 'Försäkringskassan', kind: 'authority', county: 'Stockholms län', website: 'https://www.forsakringskassan.se', parent: 'Socialdepartementet', influence: 4, interest: 2, themes: [INTRO], weight: 4 },
  { name: 'Boverket', kind: 'authority', county: 'Blekinge län', website: 'https://www.boverket.se', parent: 'Näringsdepartementet', influence: 3, interest: 2, themes: ['Boende'], weight: 3 },
  { name: 'Statens folkhälsoinstitut', kind: 'authority', parent: 'Socialdepartementet', influence: null, interest: null, themes: [`${AM}/Hälsokommunikatörer`], weight: 0, closed: '2013-12-31' },
  { name: 'Folkhälsomyndigheten', kind: 'authority', website: 'https://www.folkhalsomyndigheten.se', parent: 'Socialdepartementet', influence: 3, interest: 3, themes: [`${AM}/Hälsokommunikatörer`], weight: 3 },
  { name: 'Ungdomsstyrelsen', kind: 'authority', county: 'Stockholms län', parent: 'Kulturdepartementet', influence: null, interest: null, themes: ['Civilsamhällets roll'], weight: 0, closed: '2014-05-31' },
  { name: 'Statistiska centralbyrån', short_name: 'SCB', kind: 'authority', website: 'https://www.scb.se', parent: 'Finansdepartementet', influence: 2, interest: 1, weight: 2 },
  { name: 'Rikspolisstyrelsen', kind: 'authority', county: 'Stockholms län', parent: 'Justitiedepartementet', influence: null, interest: null, themes: [ASYL], weight: 0, closed: '2014-12-31' },
  { name: 'Polismyndigheten', kind: 'authority', website: 'https://polisen.se', parent: 'Justitiedepartementet', influence: 3, interest: 2, themes: [ASYL], weight: 2 },
]

/** Regional and local units under the agencies: placed by the town in their name. */
const units: DemoOrganisation[] = [
  ...([
    ['Migrationsverket, mottagningsenheten i Malmö', 'Skåne län'],
    ['Migrationsverket, mottagningsenheten i Göteborg', 'Västra Götalands län'],
    ['Migrationsverket, mottagningsenheten i Flen', 'Södermanlands län'],
    ['Migrationsverket, mottagningsenheten i Boden', 'Norrbottens län'],
    ['Migrationsverket, mottagningsenheten i Gävle', 'Gävleborgs län'],
    ['Migrationsverket, mottagningsenheten i Märsta', 'Stockholms län'],
    ['Migrationsverket, asylprövningsenheten i Solna', 'Stockholms län'],
    ['Migrationsverket, asylprövningsenheten i Norrköping', 'Östergötlands län'],
  ] as const).map(([name, county]): DemoOrganisation => ({ name, county, kind: 'authority', parent: 'Migrationsverket', themes: [ASYL], weight: 5 })),
  { name: 'Migrationsverket, enheten för Europeiska flyktingfonden', kind: 'authority', county: 'Östergötlands län', parent: 'Migrationsverket', themes: [`${EU}/Europeiska flyktingfonden`], tags: ['ERF'], weight: 4 },
  { name: 'Nationella temagruppen asyl & integration', short_name: 'NTG-asyl', kind: 'other', parent: 'Migrationsverket', influence: 3, interest: 5, themes: [ASYL, INTRO, `${EU}/Equal`], tags: ['Equal', 'sekretariat'], weight: 4, notes: 'Nationell temagrupp inom Equal 2002–2008. Nominerades av EU-kommissionen som en av de bästa temagrupperna.' },
  { name: 'Nationella samrådsgruppen för Europeiska flyktingfonden', kind: 'other', parent: 'Migrationsverket', influence: 4, interest: 4, themes: [`${EU}/Europeiska flyktingfonden`], tags: ['ERF'], weight: 0 },
  ...([
    ['Arbetsförmedlingen Malmö', 'Skåne län'],
    ['Arbetsförmedlingen Göteborg', 'Västra Götalands län'],
    ['Arbetsförmedlingen Stockholm', 'Stockholms län'],
    ['Arbetsförmedlingen Södertälje', 'Stockholms län'],
    ['Arbetsförmedlingen Jönköping', 'Jönköpings län'],
    ['Arbetsförmedlingen Norrköping', 'Östergötlands län'],
    ['Arbetsförmedlingen Umeå', 'Västerbottens län'],
    ['Arbetsförmedlingen Borlänge', 'Dalarnas län'],
  ] as const).map(([name, county]): DemoOrganisation => ({ name, county, kind: 'authority', parent: 'Arbetsförmedlingen', themes: [AM], weight: 4 })),
  { name: 'Svenska ESF-rådet, Equal-enheten', kind: 'authority', county: 'Stockholms län', parent: 'Svenska ESF-rådet', themes: [`${EU}/Equal`], tags: ['Equal'], weight: 5 },
  { name: 'Övervakningskommittén för Equal', kind: 'other', parent: 'Svenska ESF-rådet', influence: 4, interest: 3, themes: [`${EU}/Equal`], tags: ['Equal'], weight: 0 },
  ...([
    ['Svenska ESF-rådet, regionkontoret i Malmö', 'Skåne län'],
    ['Svenska ESF-rådet, regionkontoret i Göteborg', 'Västra Götalands län'],
    ['Svenska ESF-rådet, regionkontoret i Jönköping', 'Jönköpings län'],
    ['Svenska ESF-rådet, regionkontoret i Luleå', 'Norrbottens län'],
  ] as const).map(([name, county]): DemoOrganisation => ({ name, county, kind: 'authority', parent: 'Svenska ESF-rådet', themes: [`${EU}/Equal`], weight: 3 })),
]

/** All 21 county administrative boards, each with its own county. */
const countyBoards: DemoOrganisation[] = COUNTIES.map((county) => ({
  name: `Länsstyrelsen i ${county}`,
  kind: 'county_board',
  county,
  themes: [INTRO, `${INTRO}/Kommunmottagande`],
  tags: ['länsstyrelsernas integrationsansvariga'],
  weight: county === 'Stockholms län' || county === 'Västra Götalands län' || county === 'Skåne län' ? 8 : 4,
}))
countyBoards.find((b) => b.county === 'Jönköpings län')!.notes = 'Gav fortsatt stöd till Tema asyl & integration 2008–2009.'
countyBoards.find((b) => b.county === 'Jönköpings län')!.tags!.push('strategisk allians')

const regionalGroups: DemoOrganisation[] = [
  { name: 'Tema nyanlända', kind: 'other', county: 'Stockholms län', parent: 'Länsstyrelsen i Stockholms län', influence: 3, interest: 5, themes: [INTRO], tags: ['regional temagrupp'], weight: 3, notes: 'Regional temagrupp vid Länsstyrelsen i Stockholms län.' },
]

/** Real municipalities with their county; the big three are "stad". */
const MUNICIPALITIES: [string, County, number?][] = [
  ['Stockholms stad', 'Stockholms län', 10], ['Södertälje kommun', 'Stockholms län', 8], ['Botkyrka kommun', 'Stockholms län', 6],
  ['Huddinge kommun', 'Stockholms län'], ['Haninge kommun', 'Stockholms län'], ['Solna stad', 'Stockholms län'],
  ['Sundbybergs stad', 'Stockholms län'], ['Järfälla kommun', 'Stockholms län'], ['Sigtuna kommun', 'Stockholms län'],
  ['Norrtälje kommun', 'Stockholms län'], ['Nacka kommun', 'Stockholms län'], ['Upplands Väsby kommun', 'Stockholms län'],
  ['Uppsala kommun', 'Uppsala län', 7], ['Enköpings kommun', 'Uppsala län'], ['Tierps kommun', 'Uppsala län'], ['Östhammars kommun', 'Uppsala län'],
  ['Eskilstuna kommun', 'Södermanlands län', 6], ['Nyköpings kommun', 'Södermanlands län'], ['Katrineholms kommun', 'Södermanlands län'], ['Flens kommun', 'Södermanlands län'],
  ['Linköpings kommun', 'Östergötlands län', 6], ['Norrköpings kommun', 'Östergötlands län', 6], ['Motala kommun', 'Östergötlands län'],
  ['Jönköpings kommun', 'Jönköpings län', 6], ['Värnamo kommun', 'Jönköpings län'], ['Gislaveds kommun', 'Jönköpings län'], ['Nässjö kommun', 'Jönköpings län'],
  ['Växjö kommun', 'Kronobergs län', 5], ['Ljungby kommun', 'Kronobergs län'],
  ['Kalmar kommun', 'Kalmar län'], ['Västerviks kommun', 'Kalmar län'], ['Oskarshamns kommun', 'Kalmar län'],
  ['Karlskrona kommun', 'Blekinge län'], ['Karlshamns kommun', 'Blekinge län'], ['Ronneby kommun', 'Blekinge län'],
  ['Malmö stad', 'Skåne län', 10], ['Helsingborgs stad', 'Skåne län', 6], ['Lunds kommun', 'Skåne län', 5], ['Landskrona stad', 'Skåne län'],
  ['Kristianstads kommun', 'Skåne län'], ['Trelleborgs kommun', 'Skåne län'], ['Ystads kommun', 'Skåne län'], ['Hässleholms kommun', 'Skåne län'],
  ['Halmstads kommun', 'Hallands län', 5], ['Varbergs kommun', 'Hallands län'], ['Falkenbergs kommun', 'Hallands län'],
  ['Göteborgs stad', 'Västra Götalands län', 10], ['Borås stad', 'Västra Götalands län', 5], ['Trollhättans stad', 'Västra Götalands län'],
  ['Uddevalla kommun', 'Västra Götalands län'], ['Skövde kommun', 'Västra Götalands län'], ['Lidköpings kommun', 'Västra Götalands län'], ['Mölndals stad', 'Västra Götalands län'],
  ['Karlstads kommun', 'Värmlands län', 5], ['Arvika kommun', 'Värmlands län'], ['Filipstads kommun', 'Värmlands län'],
  ['Örebro kommun', 'Örebro län', 6], ['Karlskoga kommun', 'Örebro län'], ['Lindesbergs kommun', 'Örebro län'],
  ['Västerås stad', 'Västmanlands län', 6], ['Köpings kommun', 'Västmanlands län'], ['Sala kommun', 'Västmanlands län'],
  ['Falu kommun', 'Dalarnas län'], ['Borlänge kommun', 'Dalarnas län'], ['Ludvika kommun', 'Dalarnas län'], ['Avesta kommun', 'Dalarnas län'],
  ['Gävle kommun', 'Gävleborgs län', 5], ['Sandvikens kommun', 'Gävleborgs län'], ['Hudiksvalls kommun', 'Gävleborgs län'], ['Bollnäs kommun', 'Gävleborgs län'],
  ['Sundsvalls kommun', 'Västernorrlands län', 5], ['Härnösands kommun', 'Västernorrlands län'], ['Örnsköldsviks kommun', 'Västernorrlands län'], ['Kramfors kommun', 'Västernorrlands län'],
  ['Östersunds kommun', 'Jämtlands län'], ['Strömsunds kommun', 'Jämtlands län'],
  ['Umeå kommun', 'Västerbottens län', 5], ['Skellefteå kommun', 'Västerbottens län'], ['Lycksele kommun', 'Västerbottens län'],
  ['Luleå kommun', 'Norrbottens län', 5], ['Piteå kommun', 'Norrbottens län'], ['Bodens kommun', 'Norrbottens län'], ['Kiruna kommun', 'Norrbottens län'], ['Haparanda stad', 'Norrbottens län'],
]

const municipalities: DemoOrganisation[] = MUNICIPALITIES.map(([name, county, weight]) => ({
  name, kind: 'municipality', county, weight: weight ?? 3, themes: [INTRO],
  ...(name === 'Uppsala kommun' ? { tags: ['strategisk allians'], notes: 'Gav fortsatt stöd till Tema asyl & integration 2008–2009.' } : {}),
}))

const regions: DemoOrganisation[] = [
  { name: 'Region Gotland', kind: 'region', county: 'Gotlands län', weight: 3, themes: [INTRO] },
  { name: 'Region Skåne', kind: 'region', county: 'Skåne län', weight: 4, themes: [`${AM}/Hälsokommunikatörer`] },
  { name: 'Västra Götalandsregionen', kind: 'region', county: 'Västra Götalands län', weight: 4, themes: [`${AM}/Hälsokommunikatörer`] },
  { name: 'Stockholms läns landsting', kind: 'region', county: 'Stockholms län', weight: 4, themes: [`${ASYL}/Traumatiserade flyktingar`] },
  { name: 'Landstinget i Jönköpings län', kind: 'region', county: 'Jönköpings län', weight: 3 },
  { name: 'Sveriges Kommuner och Landsting', short_name: 'SKL', kind: 'other', county: 'Stockholms län', influence: 5, interest: 4, themes: [INTRO, `${INTRO}/Kommunmottagande`], tags: ['strategisk allians'], weight: 7 },
]

const research: DemoOrganisation[] = [
  { name: 'Stockholms universitet', kind: 'research', county: 'Stockholms län', website: 'https://www.su.se', weight: 2 },
  { name: 'Centrum för forskning om internationell migration och etniska relationer', short_name: 'CEIFO', kind: 'research', county: 'Stockholms län', parent: 'Stockholms universitet', influence: 3, interest: 5, themes: ['Forskning och utvärdering'], tags: ['strategisk allians'], weight: 6, notes: 'Administrerade webbplatsen Tema asyl & integration mars–juli 2008.' },
  { name: 'Malmö högskola', kind: 'research', county: 'Skåne län', weight: 2 },
  { name: 'Internationell migration och etniska relationer, Malmö högskola', short_name: 'IMER', kind: 'research', county: 'Skåne län', parent: 'Malmö högskola', influence: 3, interest: 5, themes: ['Forskning och utvärdering', `${ASYL}/Väntetid och psykosocial hälsa`], weight: 5 },
  { name: 'Malmö Institute for Studies of Migration, Diversity and Welfare', short_name: 'MIM', kind: 'research', county: 'Skåne län', parent: 'Malmö högskola', themes: ['Forskning och utvärdering'], weight: 3 },
  { name: 'Linköpings universitet', kind: 'research', county: 'Östergötlands län', weight: 2 },
  { name: 'Institutet för forskning om migration, etnicitet och samhälle', short_name: 'REMESO', kind: 'research', county: 'Östergötlands län', parent: 'Linköpings universitet', themes: ['Forskning och utvärdering'], weight: 4 },
  { name: 'Uppsala universitet', kind: 'research', county: 'Uppsala län', weight: 2 },
  { name: 'Centrum för multietnisk forskning', kind: 'research', county: 'Uppsala län', parent: 'Uppsala universitet', themes: ['Forskning och utvärdering'], weight: 3 },
  { name: 'Göteborgs universitet', kind: 'research', county: 'Västra Götalands län', weight: 3 },
  { name: 'Lunds universitet', kind: 'research', county: 'Skåne län', weight: 3 },
  { name: 'Umeå universitet', kind: 'research', county: 'Västerbottens län', weight: 2 },
  { name: 'Södertörns högskola', kind: 'research', county: 'Stockholms län', weight: 2 },
  { name: 'Universitetet i Oslo', kind: 'research', country: 'NO', themes: ['Forskning och utvärdering'], weight: 2 },
  { name: 'Mångkulturellt centrum', kind: 'research', county: 'Stockholms län', themes: ['Diskriminering'], weight: 2 },
  { name: 'FoU-Södertörn', kind: 'research', county: 'Stockholms län', themes: ['Forskning och utvärdering'], weight: 2 },
  { name: 'Institutet för framtidsstudier', kind: 'research', county: 'Stockholms län', weight: 2 },
]

const ngos: DemoOrganisation[] = [
  { name: 'Svenska Röda korset', kind: 'ngo', county: 'Stockholms län', website: 'https://www.rodakorset.se', influence: 4, interest: 5, themes: [ASYL, 'Civilsamhällets roll'], tags: ['strategisk allians'], weight: 6 },
  { name: 'Röda korsets center för torterade flyktingar', kind: 'ngo', county: 'Stockholms län', parent: 'Svenska Röda korset', influence: 2, interest: 5, themes: [`${ASYL}/Traumatiserade flyktingar`, 'Forskning och utvärdering'], weight: 4 },
  { name: 'Rädda Barnen', kind: 'ngo', county: 'Stockholms län', website: 'https://www.raddabarnen.se', influence: 4, interest: 5, themes: [`${ASYL}/Ensamkommande barn`], weight: 5 },
  { name: 'Flyktinggruppernas riksråd', short_name: 'FARR', kind: 'ngo', influence: 2, interest: 5, themes: [ASYL, 'Civilsamhällets roll'], weight: 4 },
  { name: 'Caritas Sverige', kind: 'ngo', county: 'Stockholms län', influence: 2, interest: 4, themes: ['Civilsamhällets roll'], weight: 3 },
  { name: 'Studieförbundet Sensus', kind: 'ngo', county: 'Stockholms län', themes: ['Utbildning', `${INTRO}/Samhällsorientering`], weight: 4 },
  { name: 'Arbetarnas bildningsförbund', short_name: 'ABF', kind: 'ngo', county: 'Stockholms län', themes: ['Utbildning', `${INTRO}/Samhällsorientering`], weight: 4 },
  { name: 'Studieförbundet Vuxenskolan', kind: 'ngo', county: 'Stockholms län', themes: ['Utbildning'], weight: 3 },
  { name: 'Folkbildningsrådet', kind: 'ngo', county: 'Stockholms län', themes: ['Utbildning'], weight: 2 },
  { name: 'Svenska kyrkan', kind: 'ngo', county: 'Uppsala län', themes: ['Civilsamhällets roll', ASYL], weight: 4 },
  { name: 'Stockholms stadsmission', kind: 'ngo', county: 'Stockholms län', themes: ['Civilsamhällets roll', 'Boende'], weight: 3 },
  { name: 'Individuell Människohjälp', short_name: 'IM', kind: 'ngo', county: 'Skåne län', themes: ['Civilsamhällets roll'], weight: 3 },
  { name: 'Amnesty International, svenska sektionen', kind: 'ngo', county: 'Stockholms län', themes: [ASYL], weight: 2 },
  { name: 'Läkare i världen', kind: 'ngo', county: 'Stockholms län', themes: [`${ASYL}/Väntetid och psykosocial hälsa`], weight: 2 },
  { name: 'BRIS', kind: 'ngo', county: 'Stockholms län', themes: [`${ASYL}/Ensamkommande barn`], weight: 2 },
  { name: 'Sveriges kristna råd', kind: 'ngo', county: 'Stockholms län', themes: ['Civilsamhällets roll'], weight: 2 },
  { name: 'Riksförbundet Internationella Föreningar för Invandrarkvinnor', short_name: 'RIFFI', kind: 'ngo', county: 'Stockholms län', themes: ['Diskriminering'], weight: 2 },
  { name: 'Kurdiska riksförbundet', kind: 'ngo', county: 'Stockholms län', themes: ['Civilsamhällets roll'], weight: 2 },
  { name: 'Somaliska riksförbundet i Sverige', kind: 'ngo', themes: ['Civilsamhällets roll'], weight: 2 },
  { name: 'Afrosvenskarnas riksförbund', kind: 'ngo', county: 'Stockholms län', themes: ['Diskriminering'], weight: 2 },
  { name: 'Ensamkommandes förbund', kind: 'ngo', themes: [`${ASYL}/Ensamkommande barn`], weight: 2 },
  { name: 'Landsorganisationen i Sverige', short_name: 'LO', kind: 'other', county: 'Stockholms län', influence: 4, interest: 2, themes: [`${AM}/Etnisk mångfald i arbetslivet`], weight: 3 },
  { name: 'Tjänstemännens centralorganisation', short_name: 'TCO', kind: 'other', county: 'Stockholms län', influence: 3, interest: 2, themes: [`${AM}/Etnisk mångfald i arbetslivet`], weight: 2 },
  { name: 'Sveriges akademikers centralorganisation', short_name: 'Saco', kind: 'other', county: 'Stockholms län', influence: 3, interest: 3, themes: [`${AM}/Validering`], weight: 2 },
  { name: 'Svenskt Näringsliv', kind: 'business', county: 'Stockholms län', influence: 4, interest: 2, themes: [`${AM}/Etnisk mångfald i arbetslivet`], weight: 3 },
  { name: 'Företagarna', kind: 'business', county: 'Stockholms län', influence: 3, interest: 2, themes: [`${AM}/Mentorskap och praktik`], weight: 2 },
]

const media: DemoOrganisation[] = [
  { name: 'Sveriges Radio', kind: 'media', county: 'Stockholms län', website: 'https://sverigesradio.se', influence: 4, interest: 2, weight: 3 },
  { name: 'Sveriges Radio Ekot', kind: 'media', county: 'Stockholms län', parent: 'Sveriges Radio', influence: 4, interest: 2, weight: 3 },
  { name: 'Sveriges Television', short_name: 'SVT', kind: 'media', county: 'Stockholms län', website: 'https://www.svt.se', influence: 4, interest: 2, weight: 3 },
  { name: 'Utbildningsradion', short_name: 'UR', kind: 'media', county: 'Stockholms län', influence: 2, interest: 3, weight: 2 },
  { name: 'Dagens Nyheter', kind: 'media', county: 'Stockholms län', influence: 4, interest: 2, weight: 3 },
  { name: 'Svenska Dagbladet', kind: 'media', county: 'Stockholms län', influence: 4, interest: 2, weight: 2 },
  { name: 'Sydsvenskan', kind: 'media', county: 'Skåne län', influence: 3, interest: 3, weight: 2 },
  { name: 'Göteborgs-Posten', kind: 'media', county: 'Västra Götalands län', influence: 3, interest: 2, weight: 2 },
  { name: 'Östgöta Correspondenten', kind: 'media', county: 'Östergötlands län', weight: 1 },
  { name: 'Jönköpings-Posten', kind: 'media', county: 'Jönköpings län', weight: 1 },
  { name: 'TT Nyhetsbyrån', kind: 'media', county: 'Stockholms län', influence: 3, interest: 1, weight: 2 },
  { name: 'Dagens Samhälle', kind: 'media', county: 'Stockholms län', influence: 3, interest: 3, weight: 2 },
  { name: 'Invandrare & Minoriteter', kind: 'media', county: 'Stockholms län', influence: 2, interest: 5, themes: ['Diskriminering'], weight: 1 },
]

const international: DemoOrganisation[] = [
  { name: 'UNHCR', kind: 'international', country: 'CH', website: 'https://www.unhcr.org', influence: 5, interest: 4, themes: [ASYL], weight: 2 },
  { name: 'UNHCR, regionkontoret för de nordiska och baltiska länderna', kind: 'international', county: 'Stockholms län', parent: 'UNHCR', influence: 4, interest: 5, themes: [ASYL], tags: ['ERF-samrådsgruppen'], weight: 4 },
  { name: 'Internationella organisationen för migration', short_name: 'IOM', kind: 'international', country: 'CH', website: 'https://www.iom.int', influence: 4, interest: 3, themes: [ASYL], weight: 2 },
  { name: 'IOM, kontoret för de nordiska och baltiska länderna', kind: 'international', country: 'FI', parent: 'Internationella organisationen för migration', influence: 3, interest: 4, weight: 2 },
  { name: 'Europeiska kommissionen', kind: 'international', country: 'BE', influence: 5, interest: 3, themes: [EU], weight: 1 },
  { name: 'Generaldirektoratet för sysselsättning, socialpolitik och lika möjligheter', short_name: 'DG EMPL', kind: 'international', country: 'BE', parent: 'Europeiska kommissionen', influence: 5, interest: 3, themes: [`${EU}/Equal`], weight: 3 },
  { name: 'Equal-enheten, Europeiska kommissionen', kind: 'international', country: 'BE', parent: 'Generaldirektoratet för sysselsättning, socialpolitik och lika möjligheter', influence: 4, interest: 4, themes: [`${EU}/Equal`], weight: 2 },
  { name: 'Generaldirektoratet för rättvisa, frihet och säkerhet', short_name: 'DG JLS', kind: 'international', country: 'BE', parent: 'Europeiska kommissionen', influence: 5, interest: 4, themes: [`${EU}/Gemensamma grundläggande principer`, `${EU}/Europeiska flyktingfonden`], weight: 3 },
  { name: 'Nätverket av nationella kontaktpunkter för integration', kind: 'international', country: 'BE', influence: 4, interest: 5, themes: [`${EU}/Gemensamma grundläggande principer`], tags: ['NCP-integration'], weight: 0, notes: 'Inrättat 2002 för utbyte av information och goda exempel om integration av tredjelandsmedborgare.' },
  { name: 'Europeiska temagruppen asyl', short_name: 'ETG', kind: 'international', country: 'BE', influence: 3, interest: 5, themes: [`${EU}/Equal`], tags: ['ETG'], weight: 0 },
  { name: 'Europarådet', kind: 'international', country: 'FR', influence: 3, interest: 2, weight: 1 },
  { name: 'European Council on Refugees and Exiles', short_name: 'ECRE', kind: 'international', country: 'BE', influence: 3, interest: 5, themes: [ASYL], weight: 2 },
  { name: 'Migration Policy Group', kind: 'international', country: 'BE', influence: 2, interest: 4, themes: [`${EU}/Gemensamma grundläggande principer`], weight: 2 },
  { name: 'Europeiska unionens byrå för grundläggande rättigheter', short_name: 'FRA', kind: 'international', country: 'AT', influence: 3, interest: 3, themes: ['Diskriminering'], weight: 2 },
  { name: 'Nordiska ministerrådet', kind: 'international', country: 'DK', website: 'https://www.norden.org', influence: 4, interest: 3, themes: [`${EU}/Nordisk idébank`], tags: ['nordiskt'], weight: 2 },
  { name: 'Nordens välfärdscenter', kind: 'international', county: 'Stockholms län', parent: 'Nordiska ministerrådet', influence: 3, interest: 5, themes: [`${EU}/Nordisk idébank`], tags: ['nordiskt'], weight: 4, notes: 'Skapar en webbaserad nordisk idébank med metoder för integration (2016–).' },
  { name: 'Nordregio', kind: 'international', county: 'Stockholms län', parent: 'Nordiska ministerrådet', influence: 2, interest: 4, themes: [`${EU}/Nordisk idébank`], tags: ['nordiskt'], weight: 2 },
  { name: 'NordForsk', kind: 'international', country: 'NO', parent: 'Nordiska ministerrådet', influence: 3, interest: 3, themes: ['Forskning och utvärdering'], tags: ['nordiskt'], weight: 2 },
  { name: 'Utlendingsdirektoratet', short_name: 'UDI', kind: 'international', country: 'NO', influence: 3, interest: 4, themes: [ASYL], tags: ['nordiskt'], weight: 2 },
  { name: 'Integrerings- og mangfoldsdirektoratet', short_name: 'IMDi', kind: 'international', country: 'NO', influence: 3, interest: 4, themes: [INTRO], tags: ['nordiskt'], weight: 2 },
  { name: 'Udlændingestyrelsen', kind: 'international', country: 'DK', influence: 3, interest: 3, themes: [ASYL], tags: ['nordiskt'], weight: 1 },
  { name: 'Maahanmuuttovirasto', short_name: 'Migri', kind: 'international', country: 'FI', influence: 3, interest: 3, themes: [ASYL], tags: ['nordiskt'], weight: 1 },
]

/** Equal development partnerships. ReKOMP and "4 i samverkan" are named in the seeds; the rest are invented. */
const PARTNERSHIPS: [string, County | null, string[], boolean][] = [
  ['Utvecklingspartnerskapet ReKOMP', null, [`${AM}/Hälsokommunikatörer`], false],
  ['Utvecklingspartnerskapet 4 i samverkan', null, [AM], false],
  ['UP Mottagning i samverkan', 'Jönköpings län', [ASYL], true],
  ['UP Vägen in', 'Skåne län', [AM, `${AM}/Mentorskap och praktik`], true],
  ['UP Kompetensbron', 'Västra Götalands län', [`${AM}/Validering`], true],
  ['UP Nya steg', 'Norrbottens län', [INTRO], true],
  ['UP Hälsa i fokus', 'Östergötlands län', [`${AM}/Hälsokommunikatörer`, `${ASYL}/Väntetid och psykosocial hälsa`], true],
  ['UP Barnens bästa', 'Stockholms län', [`${ASYL}/Ensamkommande barn`], true],
  ['UP Valideringslänken', 'Västra Götalands län', [`${AM}/Validering`], true],
  ['UP Språkporten', 'Uppsala län', ['Utbildning/Yrkessvenska'], true],
  ['UP Arbete direkt', 'Örebro län', [AM], true],
  ['UP Mångfaldsnätet', 'Västmanlands län', [`${AM}/Etnisk mångfald i arbetslivet`], true],
  ['UP Trygg start', 'Gävleborgs län', [`${INTRO}/Samhällsorientering`], true],
  ['UP Egen försörjning', 'Dalarnas län', [AM], true],
  ['UP Bron till arbetslivet', 'Kalmar län', [`${AM}/Mentorskap och praktik`], true],
  ['UP Tolk och trygghet', 'Hallands län', [`${ASYL}/Väntetid och psykosocial hälsa`], true],
]

const partnerships: DemoOrganisation[] = PARTNERSHIPS.map(([name, county, themes, fictional]) => ({
  name, kind: 'partnership', ...(county ? { county } : {}), themes: [...themes, `${EU}/Equal`], tags: ['Equal'], weight: 3,
  ...(fictional ? { notes: 'Fiktivt utvecklingspartnerskap (demodata).' } : {}),
  ...(name.includes('ReKOMP') ? { interest: 5, influence: 2, tags: ['Equal', 'gott exempel'] } : {}),
  ...(name.includes('4 i samverkan') ? { interest: 5, influence: 3, tags: ['Equal', 'styrgrupp'] } : {}),
}))

/** Parents before children, so that every parent exists when its children are created. */
export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  ...ministries, ...agencies, ...units, ...countyBoards, ...regionalGroups, ...municipalities, ...regions,
  ...research, ...ngos, ...media, ...international, ...partnerships,
]

/** Names that appear in the seed documents: real people, never to be generated. */
export const REAL_NAMES = new Set(['Göran Lindqvist', 'Dagfinn Høybråten', 'Ewa Persson Göransson'])

export const FIRST_NAMES = [
  'Anna', 'Eva', 'Maria', 'Karin', 'Kristina', 'Lena', 'Sara', 'Kerstin', 'Emma', 'Ingrid', 'Malin', 'Jenny', 'Annika', 'Susanne',
  'Linda', 'Elin', 'Johanna', 'Helena', 'Cecilia', 'Camilla', 'Åsa', 'Ulrika', 'Sofia', 'Maja', 'Hanna', 'Ida', 'Louise', 'Birgitta',
  'Lars', 'Mikael', 'Anders', 'Johan', 'Per', 'Erik', 'Karl', 'Peter', 'Thomas', 'Jan', 'Daniel', 'Fredrik', 'Hans', 'Andreas',
  'Stefan', 'Magnus', 'Mats', 'Jonas', 'Marcus', 'Mattias', 'Niklas', 'Björn', 'Olof', 'Henrik', 'Gunnar', 'Ola', 'Tobias', 'Örjan',
]

export const OTHER_FIRST_NAMES = [
  'Amina', 'Fatima', 'Leila', 'Maryam', 'Yasmin', 'Nasrin', 'Hodan', 'Amra', 'Selma', 'Mirela', 'Carmen', 'Daniela', 'Tiina', 'Pirjo',
  'Katarzyna', 'Ali', 'Hassan', 'Reza', 'Omar', 'Hamid', 'Abdi', 'Edin', 'Kemal', 'Tarik', 'Dragan', 'Jorge', 'Pablo', 'Jukka', 'Marek', 'Aziz',
]

export const SURNAMES = [
  'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson', 'Pettersson',
  'Jonsson', 'Jansson', 'Hansson', 'Bengtsson', 'Jönsson', 'Lindberg', 'Jakobsson', 'Magnusson', 'Olofsson', 'Lindström', 'Lindqvist',
  'Lindgren', 'Axelsson', 'Berg', 'Bergström', 'Lundberg', 'Lind', 'Lundgren', 'Lundqvist', 'Mattsson', 'Berglund', 'Fredriksson',
  'Sandberg', 'Henriksson', 'Forsberg', 'Sjöberg', 'Wallin', 'Engström', 'Eklund', 'Danielsson', 'Lundin', 'Håkansson', 'Björk',
  'Bergman', 'Gunnarsson', 'Holm', 'Wikström', 'Samuelsson', 'Isaksson', 'Fransson', 'Bergqvist', 'Nyström', 'Holmberg', 'Arvidsson',
  'Löfgren', 'Söderberg', 'Nyberg', 'Blomqvist', 'Claesson', 'Nordström', 'Mårtensson', 'Lundström', 'Åberg', 'Öberg', 'Ek',
]

export const OTHER_SURNAMES = [
  'Hussein', 'Mohammadi', 'Ahmadi', 'Yilmaz', 'Hadžić', 'Kovačević', 'Mehmedović', 'Rodríguez', 'González', 'Virtanen', 'Korhonen',
  'Nieminen', 'Kowalski', 'Nowak', 'Abdullahi', 'Warsame', 'Osman', 'Karimi', 'Rahimi', 'Haddad', 'Khalil', 'Demir', 'Kaya', 'Papadopoulos',
]

/** Titles by organisation kind; the first few of each list are the senior ones. */
export const TITLES: Record<OrganisationKind, { senior: string[]; other: string[] }> = {
  ministry: { senior: ['Enhetschef', 'Ämnesråd'], other: ['Departementssekreterare', 'Kansliråd', 'Handläggare', 'Rättssakkunnig'] },
  authority: { senior: ['Enhetschef', 'Sektionschef', 'Avdelningschef'], other: ['Handläggare', 'Utredare', 'Verksamhetsutvecklare', 'Programhandläggare', 'Samordnare', 'Kommunikatör', 'Analytiker'] },
  county_board: { senior: ['Enhetschef', 'Integrationsansvarig'], other: ['Integrationshandläggare', 'Utvecklingsledare', 'Handläggare', 'Samordnare för mottagande'] },
  municipality: { senior: ['Integrationschef', 'Förvaltningschef', 'Enhetschef'], other: ['Flyktingsamordnare', 'Introduktionshandläggare', 'Socialsekreterare', 'SFI-lärare', 'Integrationsstrateg', 'Arbetsmarknadskonsulent'] },
  region: { senior: ['Enhetschef', 'Utvecklingsdirektör'], other: ['Hälsokommunikatör', 'Folkhälsoplanerare', 'Utvecklingsledare', 'Kurator'] },
  ngo: { senior: ['Verksamhetschef', 'Ordförande'], other: ['Projektledare', 'Rådgivare', 'Samordnare för frivilliga', 'Studieförbundskonsulent', 'Jurist', 'Ombudsman'] },
  research: { senior: ['Professor', 'Föreståndare'], other: ['Forskare', 'Universitetslektor', 'Doktorand', 'Forskningsassistent'] },
  media: { senior: ['Redaktör'], other: ['Reporter', 'Journalist', 'Producent'] },
  international: { senior: ['Head of Unit', 'Senior Policy Officer'], other: ['Policy Officer', 'Programme Officer', 'Protection Officer', 'Adviser'] },
  partnership: { senior: ['Projektledare'], other: ['Processledare', 'Utvärderare', 'Projektmedarbetare', 'Handledare'] },
  business: { senior: ['Näringspolitisk chef'], other: ['Expert', 'Rådgivare'] },
  other: { senior: ['Ordförande', 'Kanslichef'], other: ['Sekreterare', 'Utredare', 'Samordnare', 'Handläggare'] },
}

/** What people talk about, with the theme each topic belongs to. */
export const TOPICS: [string, string][] = [
  ['hälsokommunikatörer i länet', `${AM}/Hälsokommunikatörer`],
  ['samhällsorientering på modersmål', `${INTRO}/Samhällsorientering`],
  ['validering av utländsk yrkeskompetens', `${AM}/Validering`],
  ['mottagandet av ensamkommande barn', `${ASYL}/Ensamkommande barn`],
  ['kommunernas överenskommelser om mottagande', `${INTRO}/Kommunmottagande`],
  ['SFI och yrkessvenska', 'Utbildning/SFI'],
  ['diskriminering i rekryteringen', 'Diskriminering'],
  ['asylsökande i eget boende', 'Boende/Eget boende'],
  ['väntans psykologi – asylsökandes hälsa', `${ASYL}/Väntetid och psykosocial hälsa`],
  ['den nordiska idébanken', `${EU}/Nordisk idébank`],
  ['de gemensamma grundläggande principerna för integration', `${EU}/Gemensamma grundläggande principer`],
  ['projektansökningar till Europeiska flyktingfonden', `${EU}/Europeiska flyktingfonden`],
  ['spridning av Equal-produkter', `${EU}/Equal`],
  ['mentorprogram för nyanlända akademiker', `${AM}/Mentorskap och praktik`],
  ['frivilligorganisationernas roll i mottagandet', 'Civilsamhällets roll'],
  ['utvärderingen av introduktionsprojekten', 'Forskning och utvärdering'],
  ['stöd till traumatiserade flyktingar', `${ASYL}/Traumatiserade flyktingar`],
  ['etnisk mångfald hos offentliga arbetsgivare', `${AM}/Etnisk mångfald i arbetslivet`],
]

export const OUTCOMES = [
  'Vill medverka i referensgruppen.',
  'Skickar underlag före nästa möte.',
  'Intresserad av att sprida metoden i länet.',
  'Ber om en presentation för ledningsgruppen.',
  'Avvaktar beslut om medfinansiering.',
  'Tipsade om två projekt som bör kartläggas.',
  'Kan tala på årskonferensen.',
  'Vill ha nyhetsbrevet till hela enheten.',
  'Återkommer efter årsskiftet.',
  'Föreslår ett gemensamt seminarium i vår.',
]

export const CONTACT_TAGS = ['nyhetsbrev', 'årskonferens', 'referensgrupp', 'talare', 'styrgrupp']
