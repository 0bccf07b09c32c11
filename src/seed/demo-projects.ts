import type { Actor, Executor } from '../db/write.ts'
import { letOthersIn } from '../db/turns.ts'
import { createProduct } from '../products/products.service.ts'
import { createProduct as productSchema, type GoodPractice, type ProductKind } from '../products/products.schema.ts'
import { createProject } from '../projects/projects.service.ts'
import { createProject as projectSchema, type Programme, type ProjectStatus } from '../projects/projects.schema.ts'

/**
 * The demo network's projects and their products (seed 002: Equal development partnerships,
 * European Refugee Fund and nationally funded projects, whose products — reports, manuals,
 * films, methods, training and conference formats — become good practice; seed 004: the Nordic
 * idea bank). ReKOMP, "4 i samverkan" and NTG-asyl are named in the seeds; the other projects
 * and every product are invented for the demo. Organisations are named as in demo-data.ts, and
 * the name (projects) and the title (products) are the natural keys that keep the seed idempotent.
 */

const AM = 'Arbetsmarknadsintegration'
const ASYL = 'Asyl och mottagning'
const INTRO = 'Introduktion för nyanlända'
const EU = 'EU- och nordiskt samarbete'
const FICTIONAL = 'Fiktivt projekt (demodata).'

export interface DemoProject {
  name: string
  programme: Programme
  status: ProjectStatus
  start_date: string
  end_date: string
  lead: string
  partners: [name: string, role: string | null][]
  themes: string[]
  evaluation?: string
  notes?: string
}

export interface DemoProduct {
  title: string
  kind: ProductKind
  project: string | null
  themes: string[]
  summary: string | null
  good_practice_status: GoodPractice | null
  public: boolean
  url?: string
}

export const DEMO_PROJECTS: DemoProject[] = [
  {
    name: 'NTG-asyl & integration', programme: 'equal', status: 'finished', start_date: '2002-12-01', end_date: '2007-12-31', lead: 'Migrationsverket',
    partners: [['Integrationsverket', 'Medfinansiär'], ['Svenska ESF-rådet', 'Equal-medel (fas III)'], ['Utvecklingspartnerskapet 4 i samverkan', 'Styrgruppen'], ['Centrum för forskning om internationell migration och etniska relationer', 'Webbplats och FoU-översikt']],
    themes: [ASYL, INTRO, `${EU}/Equal`],
    evaluation: 'Nominerades av EU-kommissionen som en av de bästa nationella temagrupperna. Produkttänkandet och de strategiska allianserna lyfts fram som det som gav genomslag.',
  },
  {
    name: 'ReKOMP – hälsokommunikatörer', programme: 'equal', status: 'finished', start_date: '2002-07-01', end_date: '2005-06-30', lead: 'Utvecklingspartnerskapet ReKOMP',
    partners: [['Region Skåne', 'Vårdgivare'], ['Västra Götalandsregionen', 'Vårdgivare'], ['Malmö stad', 'Praktikplatser'], ['Statens folkhälsoinstitut', 'Kunskapsstöd']],
    themes: [`${AM}/Hälsokommunikatörer`],
    evaluation: 'Den externa utvärderingen visar att hälsokommunikatörerna når nyanlända som vården annars inte når, och att flera fick arbete inom vården efteråt.',
  },
  {
    name: '4 i samverkan', programme: 'equal', status: 'finished', start_date: '2002-07-01', end_date: '2005-12-31', lead: 'Utvecklingspartnerskapet 4 i samverkan',
    partners: [['Arbetsförmedlingen', 'Arbetsmarknadsinsatser'], ['Migrationsverket', 'Mottagning'], ['Försäkringskassan', 'Ersättningar'], ['Göteborgs stad', 'Kommunal introduktion']],
    themes: [AM, ASYL],
    evaluation: 'Fyra myndigheter med gemensam planering för den enskilde; samverkansavtalen lever kvar efter projekttiden.',
  },
  {
    name: 'Mottagning i samverkan', programme: 'equal', status: 'finished', start_date: '2004-07-01', end_date: '2007-06-30', lead: 'UP Mottagning i samverkan',
    partners: [['Jönköpings kommun', 'Bosättning'], ['Länsstyrelsen i Jönköpings län', 'Regional samordning'], ['Migrationsverket', 'Mottagning']],
    themes: [ASYL, `${INTRO}/Kommunmottagande`], notes: FICTIONAL,
  },
  {
    name: 'Kompetensbron', programme: 'equal', status: 'finished', start_date: '2004-07-01', end_date: '2007-06-30', lead: 'UP Kompetensbron',
    partners: [['Göteborgs stad', 'Arbetsplatser'], ['Högskoleverket', 'Bedömning av utländsk utbildning'], ['Arbetsförmedlingen', 'Matchning']],
    themes: [`${AM}/Validering`], notes: FICTIONAL,
    evaluation: 'Valideringen på arbetsplatsen kortade tiden till arbete; bedömningen av utländsk utbildning var flaskhalsen.',
  },
  {
    name: 'Valideringslänken', programme: 'equal', status: 'finished', start_date: '2005-01-01', end_date: '2007-12-31', lead: 'UP Valideringslänken',
    partners: [['Valideringsdelegationen', 'Nationellt stöd'], ['Borås stad', 'Vård och omsorg']],
    themes: [`${AM}/Validering`], notes: FICTIONAL,
  },
  {
    name: 'Väntans psykologi – While we are waiting', programme: 'erf', status: 'finished', start_date: '2003-03-01', end_date: '2006-02-28', lead: 'Röda korsets center för torterade flyktingar',
    partners: [['Internationell migration och etniska relationer, Malmö högskola', 'Forskning'], ['Universitetet i Oslo', 'Forskning'], ['Migrationsverket, enheten för Europeiska flyktingfonden', 'Finansiär']],
    themes: [`${ASYL}/Väntetid och psykosocial hälsa`, 'Forskning och utvärdering'],
  },
  {
    name: 'Samhällsorientering på modersmål', programme: 'national', status: 'finished', start_date: '2005-01-01', end_date: '2007-06-30', lead: 'Integrationsverket',
    partners: [['Arbetarnas bildningsförbund', 'Utbildare'], ['Studieförbundet Sensus', 'Utbildare'], ['Norrköpings kommun', 'Pilotkommun']],
    themes: [`${INTRO}/Samhällsorientering`],
    evaluation: 'Deltagarna förstod mer och tidigare när orienteringen gavs på modersmålet; modellen togs senare upp i den nationella samhällsorienteringen.',
  },
  {
    name: 'Barnens bästa', programme: 'equal', status: 'finished', start_date: '2005-01-01', end_date: '2007-12-31', lead: 'UP Barnens bästa',
    partners: [['Rädda Barnen', 'Barnrättsperspektiv'], ['Stockholms stad', 'Boende'], ['BRIS', 'Stödlinje']],
    themes: [`${ASYL}/Ensamkommande barn`], notes: FICTIONAL,
  },
  {
    name: 'Nordisk idébank för integration', programme: 'nordic', status: 'finished', start_date: '2017-01-01', end_date: '2019-12-31', lead: 'Nordens välfärdscenter',
    partners: [['Nordregio', 'Kartläggning'], ['Nordiska ministerrådet', 'Uppdragsgivare']],
    themes: [`${EU}/Nordisk idébank`],
  },
  {
    name: 'Trygg start – samhällsorientering för asylsökande', programme: 'amif', status: 'finished', start_date: '2016-01-01', end_date: '2018-12-31', lead: 'Länsstyrelsen i Gävleborgs län',
    partners: [['Gävle kommun', 'Lokal samverkan'], ['Studieförbundet Vuxenskolan', 'Utbildare'], ['UP Trygg start', 'Metodstöd']],
    themes: [`${INTRO}/Samhällsorientering`, ASYL], notes: FICTIONAL,
  },
  {
    name: 'Mentorskap in i arbetslivet', programme: 'esf', status: 'running', start_date: '2024-09-01', end_date: '2027-08-31', lead: 'Kalmar kommun',
    partners: [['Företagarna', 'Mentorer'], ['UP Bron till arbetslivet', 'Metodstöd'], ['Arbetsförmedlingen', 'Matchning']],
    themes: [`${AM}/Mentorskap och praktik`], notes: FICTIONAL,
  },
]

const ex = (path: string) => `https://www.example.se/idebank/${path}`

export const DEMO_PRODUCTS: DemoProduct[] = [
  { title: 'Asyl- och flyktingmottagning – lägesbeskrivning och prioriteringar', kind: 'report', project: 'NTG-asyl & integration', themes: [ASYL, `${EU}/Equal`], good_practice_status: null, public: true,
    summary: 'Lägesbeskrivning av asyl- och flyktingmottagningen, utvecklingsarbetet och prioriteringarna inom Equal och Europeiska flyktingfonden inför temagruppernas start.' },
  { title: 'Väntans psykologi – konferensformat om asylsökandes hälsa', kind: 'conference_format', project: 'NTG-asyl & integration', themes: [`${ASYL}/Väntetid och psykosocial hälsa`], good_practice_status: 'validated', public: true,
    summary: 'En årlig konferens där forskare, praktiker och beslutsfattare möts kring väntetidens hälsa: forskning på förmiddagen, projektens metoder i seminarier på eftermiddagen och en panel med ansvariga myndigheter.' },
  { title: 'Tema asyl & integration – webbplatsen', kind: 'website', project: 'NTG-asyl & integration', themes: [ASYL, INTRO], good_practice_status: null, public: true, url: ex('tema-asyl'),
    summary: 'Temagruppens webbplats med projektbeskrivningar, rapporter och nyhetsbrev om asyl och integration.' },
  { title: 'FoU-översikt asyl och integration', kind: 'report', project: 'NTG-asyl & integration', themes: ['Forskning och utvärdering'], good_practice_status: 'candidate', public: false,
    summary: 'Sammanställning av aktuell forskning och utvärdering inom asyl och integration.' },
  { title: 'Strategi för spridning och påverkan', kind: 'report', project: 'NTG-asyl & integration', themes: [`${EU}/Equal`], good_practice_status: null, public: false, summary: null },
  { title: 'Hälsokommunikatörer', kind: 'method', project: 'ReKOMP – hälsokommunikatörer', themes: [`${AM}/Hälsokommunikatörer`], good_practice_status: 'validated', public: true, url: ex('halsokommunikatorer'),
    summary: 'Utrikes födda med vårdutbildning från hemlandet utbildas till hälsokommunikatörer och ger nyanlända hälsoinformation på deras eget språk – om vården i Sverige, egenvård och psykisk hälsa. Metoden ger samtidigt kommunikatörerna en väg in i svensk vård.' },
  { title: 'Hälsokommunikatörer – utbildningsplan', kind: 'training', project: 'ReKOMP – hälsokommunikatörer', themes: [`${AM}/Hälsokommunikatörer`], good_practice_status: 'validated', public: true,
    summary: 'Utbildningsplan i tolv veckor för blivande hälsokommunikatörer: svensk hälso- och sjukvård, samtalsmetodik, folkhälsa och praktik i vården.' },
  { title: 'Hälsa på eget språk', kind: 'film', project: 'ReKOMP – hälsokommunikatörer', themes: [`${AM}/Hälsokommunikatörer`], good_practice_status: 'candidate', public: true,
    summary: 'Kortfilm där hälsokommunikatörer och deltagare berättar om hälsoträffar på arabiska, somaliska och dari.' },
  { title: 'Slututvärdering ReKOMP', kind: 'report', project: 'ReKOMP – hälsokommunikatörer', themes: ['Forskning och utvärdering'], good_practice_status: null, public: false,
    summary: 'Den externa utvärderarens slutrapport, med underlag per delprojekt.' },
  { title: 'Samverkansmodellen 4 i samverkan', kind: 'method', project: '4 i samverkan', themes: [AM, ASYL], good_practice_status: 'validated', public: true,
    summary: 'Migrationsverket, Arbetsförmedlingen, Försäkringskassan och kommunen planerar tillsammans med den asylsökande redan under väntetiden, så att praktik och svenska kan börja innan uppehållstillståndet kommer.' },
  { title: 'Handbok för samverkan kring asylsökandes sysselsättning', kind: 'manual', project: '4 i samverkan', themes: [ASYL], good_practice_status: 'candidate', public: true,
    summary: 'Praktisk handbok med mallar för samverkansavtal, rutiner för gemensamma planeringssamtal och exempel på sysselsättning under asyltiden.' },
  { title: 'Mottagningsguiden för kommuner', kind: 'manual', project: 'Mottagning i samverkan', themes: [`${INTRO}/Kommunmottagande`], good_practice_status: 'validated', public: true,
    summary: 'Steg för steg: så tar en kommun emot nyanlända – från överenskommelse och bosättning till de första veckornas introduktion.' },
  { title: 'Validering av yrkeskompetens på arbetsplatsen', kind: 'method', project: 'Kompetensbron', themes: [`${AM}/Validering`], good_practice_status: 'validated', public: true, url: ex('validering-pa-arbetsplatsen'),
    summary: 'Yrkeskunnandet bedöms där arbetet görs: en handledare och en branschbedömare följer deltagaren under två veckor och dokumenterar vad hen kan mot branschens krav.' },
  { title: 'Kompetenskartläggning på modersmål', kind: 'method', project: 'Kompetensbron', themes: [`${AM}/Validering`], good_practice_status: 'candidate', public: true,
    summary: 'Ett samtalsstöd för att kartlägga utbildning och yrkeserfarenhet på modersmålet redan första månaden.' },
  { title: 'Branschvalidering inom vård och omsorg', kind: 'method', project: 'Valideringslänken', themes: [`${AM}/Validering`], good_practice_status: 'candidate', public: false,
    summary: 'Validering mot undersköterskans kompetenskrav, med kompletterande utbildning där luckor finns.' },
  { title: 'Validering som väg till arbete – delrapport', kind: 'report', project: 'Valideringslänken', themes: [`${AM}/Validering`], good_practice_status: 'rejected', public: false,
    summary: 'Delrapport som inte kunde visa effekter på sysselsättningen; underlaget var för litet.' },
  { title: 'While we are waiting – väntetidens hälsa', kind: 'report', project: 'Väntans psykologi – While we are waiting', themes: [`${ASYL}/Väntetid och psykosocial hälsa`], good_practice_status: 'validated', public: true,
    summary: 'Forskningsrapport om hur väntan på asylbeslut påverkar hälsan, och vad mottagandet kan göra: meningsfull sysselsättning, information om processen och tidigt psykosocialt stöd.' },
  { title: 'Samtalsgrupper under väntetiden', kind: 'method', project: 'Väntans psykologi – While we are waiting', themes: [`${ASYL}/Väntetid och psykosocial hälsa`], good_practice_status: 'candidate', public: true,
    summary: 'Samtalsgrupper med tolk för asylsökande, ledda av personal med traumakompetens, åtta träffar.' },
  { title: 'Samhällsorientering på modersmål', kind: 'method', project: 'Samhällsorientering på modersmål', themes: [`${INTRO}/Samhällsorientering`], good_practice_status: 'validated', public: true, url: ex('samhallsorientering'),
    summary: 'Samhällskommunikatörer ger nyanlända orientering om det svenska samhället på deras modersmål: rättigheter och skyldigheter, arbetsmarknad, skola, vård och boende, i grupper om tio till femton.' },
  { title: 'Samhällskommunikatörens handbok', kind: 'manual', project: 'Samhällsorientering på modersmål', themes: [`${INTRO}/Samhällsorientering`], good_practice_status: 'validated', public: true,
    summary: 'Handbok för samhällskommunikatörer med lektionsupplägg, övningar och faktablad för tio träffar.' },
  { title: 'Välkommen till Sverige', kind: 'film', project: 'Samhällsorientering på modersmål', themes: [`${INTRO}/Samhällsorientering`], good_practice_status: null, public: true,
    summary: 'Film i åtta språkversioner om de första månaderna i Sverige.' },
  { title: 'Utbildning för gode män till ensamkommande barn', kind: 'training', project: 'Barnens bästa', themes: [`${ASYL}/Ensamkommande barn`], good_practice_status: 'validated', public: true,
    summary: 'Tvådagarsutbildning för gode män: barnets rättigheter, asylprocessen, samarbete med boendet och skolan, och när man ska larma.' },
  { title: 'Boendemodell för ensamkommande barn', kind: 'method', project: 'Barnens bästa', themes: [`${ASYL}/Ensamkommande barn`, 'Boende'], good_practice_status: 'candidate', public: false,
    summary: 'Små boenden med fast personal och en kontaktperson per barn.' },
  { title: 'Nordisk idébank – metoder för integration', kind: 'website', project: 'Nordisk idébank för integration', themes: [`${EU}/Nordisk idébank`], good_practice_status: null, public: true, url: ex('nordisk'),
    summary: 'Webbaserad idébank med framgångsrika metoder och verktyg för delaktighet i samhället för flyktingar och nyanlända i de nordiska länderna.' },
  { title: 'Nordiskt erfarenhetsutbyte om integration – seminarieformat', kind: 'conference_format', project: 'Nordisk idébank för integration', themes: [`${EU}/Nordisk idébank`], good_practice_status: 'candidate', public: true,
    summary: 'Ett seminarieformat där tjänstemän, forskare och praktiker från de nordiska länderna byter erfarenheter kring ett tema, med studiebesök hos värdkommunen.' },
  { title: 'Tidig samhällsorientering för asylsökande', kind: 'method', project: 'Trygg start – samhällsorientering för asylsökande', themes: [`${INTRO}/Samhällsorientering`, ASYL], good_practice_status: 'validated', public: true,
    summary: 'Samhällsorientering redan under asyltiden, i samarbete med studieförbund, så att tiden i väntan blir början på etableringen.' },
  { title: 'Mentorprogram för nyanlända akademiker', kind: 'method', project: 'Mentorskap in i arbetslivet', themes: [`${AM}/Mentorskap och praktik`], good_practice_status: 'candidate', public: false,
    summary: 'Mentorer från det lokala näringslivet följer nyanlända akademiker under ett år.' },
]

const lower = (s: string) => s.toLowerCase()

/** What is already there by natural key: live ids, and keys a user deleted (never made again). */
async function existing(db: Executor, table: 'projects' | 'products') {
  const rows = table === 'projects'
    ? await db.selectFrom('projects').select(['id', 'name as key', 'deleted_at']).execute()
    : await db.selectFrom('products').select(['id', 'title as key', 'deleted_at']).execute()
  const live = new Map<string, string>()
  const gone = new Set<string>()
  for (const r of rows) {
    if (r.deleted_at) gone.add(lower(r.key))
    else live.set(lower(r.key), r.id)
  }
  return { live, has: (key: string) => live.has(lower(key)) || gone.has(lower(key)) }
}

/**
 * Creates the demo projects and products that are not there yet, each through its audited
 * service in a short transaction of its own. Links to an organisation, theme or project that is
 * missing (a user deleted it) are left out.
 */
export async function seedProjects(
  db: Executor, themeIds: Map<string, string>, orgIds: Map<string, string>, actor: Actor,
): Promise<{ projects: number; products: number }> {
  const themes = (paths: string[]) => paths.flatMap((p) => themeIds.get(p) ?? [])
  const org = (name: string) => orgIds.get(lower(name))
  const projects = await existing(db, 'projects')
  let createdProjects = 0
  for (const p of DEMO_PROJECTS) {
    if (projects.has(p.name)) continue
    const input = projectSchema.parse({
      name: p.name, programme: p.programme, status: p.status, start_date: p.start_date, end_date: p.end_date,
      lead_organisation_id: org(p.lead) ?? null,
      partners: p.partners.flatMap(([name, role]) => (org(name) ? [{ organisation_id: org(name)!, role }] : [])),
      theme_ids: themes(p.themes), evaluation: p.evaluation ?? null, notes: p.notes ?? null,
    })
    await letOthersIn()
    const row = await createProject(db, input, actor)
    projects.live.set(lower(p.name), row.id)
    createdProjects++
  }
  const products = await existing(db, 'products')
  let createdProducts = 0
  for (const p of DEMO_PRODUCTS) {
    if (products.has(p.title)) continue
    const input = productSchema.parse({
      title: p.title, kind: p.kind, project_id: (p.project && projects.live.get(lower(p.project))) ?? null, theme_ids: themes(p.themes),
      url: p.url ?? null, summary: p.summary, good_practice_status: p.good_practice_status, public: p.public,
    })
    await letOthersIn()
    await createProduct(db, input, actor)
    createdProducts++
  }
  return { projects: createdProjects, products: createdProducts }
}
