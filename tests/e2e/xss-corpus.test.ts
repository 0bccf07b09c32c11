import { beforeAll, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { e2eDescribe, login, useE2E } from './helpers/browser.ts'
import { ADMIN } from './helpers/server.ts'

/**
 * An XSS corpus stored in the text fields of every kind of record (through the API and through
 * an import) and then shown on every page that shows them, in Chromium. A payload that runs calls
 * __x() (an exposed binding) or alert(); one that became markup leaves an element the page
 * itself never has (data-xss, an inline handler, a javascript: link, an htmx attribute). The
 * pages run under the app's CSP, so any securitypolicyviolation (or CSP console line) also fails
 * the test through useE2E's watcher; a second context with the CSP bypassed shows that nothing
 * would run even if the policy were gone.
 *
 * Every payload stays within 100 characters (a contact's name) and carries no address outside
 * this machine.
 */
const CORPUS: string[] = [
  `<script>__x('script')</script>`,
  `"><script>__x('attr-dq')</script>`,
  `'><img src=x onerror=__x('attr-sq') data-xss>`,
  `<img src=x onerror="__x('img')" data-xss>`,
  `<svg onload=__x('svg') data-xss>`,
  `<svg><script>__x('svg-script')</script></svg>`,
  `javascript:__x('js-url')`,
  ` JaVaScRiPt:alert('js-url-case')`,
  `" autofocus onfocus="__x('focus')" x="`,
  `' autofocus onfocus='__x("focus-sq")' x='`,
  `</textarea><script>__x('textarea')</script>`,
  `</title><script>__x('title')</script>`,
  `--><script>__x('comment')</script><!--`,
  `</script><script>__x('json-island')</script>`,
  '${__x(`tpl`)}`+__x(`tpl2`)+`',
  `<%~ it.__x('eta-raw') %><%= 7*7 %>{{constructor.constructor('__x()')()}}`,
  `<% __x('eta-exec') %><%_ x _%>`,
  `<a href="javascript:__x('a')" data-xss>länk</a>`,
  `<iframe srcdoc="<script>parent.__x('srcdoc')</script>" data-xss></iframe>`,
  `<div hx-get="/logout" hx-trigger="load" hx-on:load="__x('htmx')" data-xss>x</div>`,
  `<meta http-equiv="refresh" content="0;url=javascript:__x('meta')" data-xss>`,
  `<base href="/xss-base/" data-xss>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=__x('mxss') data-xss>`,
  `</style><style data-xss>body{background:red}</style>`,
  `red;background-image:url("javascript:__x('css')")`,
  `<div style="position:fixed;inset:0" data-xss>style</div>`,
  `\u202Egnp.exe\u202C \u200B\u2028\u2029 ＜script＞__x('fullwidth')＜/script＞`,
  `\uFEFF<scr\u200Bipt>__x('zwsp')</scr\u200Bipt> Åsa Öberg-Ärlig`,
]

/** A value of the corpus by index, wrapping. */
const P = (i: number) => CORPUS[i % CORPUS.length]!

/** Elements and attributes the app's own markup never has: a payload turned into markup. */
const INJECTED = [
  '[data-xss]',
  '[onerror]', '[onload]', '[onfocus]', '[onmouseover]',
  '[hx-on\\:load]', '[hx-trigger="load"][hx-get="/logout"]',
  'iframe[srcdoc]', 'meta[http-equiv="refresh" i]', 'base',
  'a[href^="javascript:" i]', 'a[href^=" javascript:" i]', 'form[action^="javascript:" i]',
  'script:not([src]):not([type="application/json"])',
  'style',
].join(', ')

const FULL = process.env.XSS_FULL === '1'

/** Pages checked at once, and payloads stored at once: the test mostly waits on the server. */
const TABS = 3

/** Runs `each` over `items` in order of start, at most `width` at a time; `lane` (0 … width−1) says which of the `width` runs it. */
async function inParallel<T>(items: readonly T[], width: number, each: (item: T, lane: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: width }, async (_, lane) => {
    for (let k = next++; k < items.length; k = next++) await each(items[k]!, lane)
  }))
}

interface Ids {
  [kind: string]: string[]
}

e2eDescribe('an XSS corpus stored in every text field and shown on every page', () => {
  const e2e = useE2E()
  let admin: Page
  const ids: Ids = {}
  const refused: string[] = []
  /** The payload index a record was made with (the records of one kind are made several at a time). */
  const payloadOf = new Map<string, number>()
  const sentIssues: string[] = []
  let importReport = ''

  async function post(kind: string, path: string, data: Record<string, unknown>, payload?: number): Promise<string | null> {
    const res = await admin.request.post(path, { data })
    if (res.status() !== 201) {
      // A payload a validator refuses is fine (it is never shown); the rest must be stored.
      expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(500)
      refused.push(`${path} ${res.status()}`)
      return null
    }
    const id = ((await res.json()) as { id: string }).id
    ;(ids[kind] ??= []).push(id)
    if (payload !== undefined) payloadOf.set(id, payload)
    return id
  }

  beforeAll(async () => {
    const adminContext = await e2e.newContext()
    await watch(adminContext)
    admin = await adminContext.newPage()
    await login(admin, ADMIN.email, ADMIN.password)
    const n = CORPUS.length
    const theme = await post('themes', '/api/v1/themes', { name: P(0), description: P(1) })
    for (let i = 1; i < n; i++) await post('themes', '/api/v1/themes', { name: `${P(i)} ${i}`, description: P(i + 1) })
    // Each payload's records in turn (an organisation, then its contact, …), several payloads at a time.
    await inParallel(Array.from({ length: n }, (_, i) => i), 4, async (i) => {
      const put = (kind: string, path: string, data: Record<string, unknown>) => post(kind, path, data, i)
      const org = await put('organisations', '/api/v1/organisations', {
        name: `${P(i)} org`, short_name: P(i + 3).slice(0, 50), kind: 'ngo', notes: P(i + 1), tags: [P(i + 2).slice(0, 50)], website: P(i + 6),
      })
      const orgId = org ?? (await put('organisations', '/api/v1/organisations', { name: `${P(i)} org`, kind: 'ngo', notes: P(i + 1), tags: [P(i + 2).slice(0, 50)] }))
      const contact = await put('contacts', '/api/v1/contacts', {
        first_name: P(i), last_name: P(i + 1), title: P(i + 2), notes: P(i + 3), tags: [P(i + 4).slice(0, 50)],
        affiliations: orgId ? [{ organisation_id: orgId, role: P(i + 5) }] : [], theme_ids: theme ? [theme] : [],
      })
      await put('alliances', '/api/v1/alliances', {
        name: `${P(i)} allians`, purpose: P(i + 1), next_step: P(i + 2), notes: P(i + 3), status: 'active',
        links: [{ label: P(i + 4), url: P(i + 6) }], members: orgId ? [{ organisation_id: orgId, role: 'lead', contact_id: contact }] : [],
      }).then((id) => id ?? put('alliances', '/api/v1/alliances', { name: `${P(i)} allians`, purpose: P(i + 1), notes: P(i + 3), status: 'active' }))
      await put('activities', '/api/v1/activities', {
        title: P(i), type: 'seminar', status: 'done', start_date: '2026-03-10', location: P(i + 1), outcome: P(i + 2),
        participants: contact ? [{ contact_id: contact, role: 'participant', attendance: 'attended' }] : [],
      })
      const project = await put('projects', '/api/v1/projects', {
        name: P(i), status: 'running', start_date: '2026-01-01', evaluation: P(i + 1), notes: P(i + 2),
        lead_organisation_id: orgId, partners: [], theme_ids: theme ? [theme] : [],
      })
      await put('products', '/api/v1/products', {
        title: P(i), kind: 'method', project_id: project, summary: P(i + 1), url: P(i + 6), public: true, good_practice_status: 'validated', theme_ids: theme ? [theme] : [],
      }).then((id) => id ?? put('products', '/api/v1/products', { title: P(i), kind: 'method', summary: P(i + 1), public: true, theme_ids: theme ? [theme] : [] }))
      await put('interactions', '/api/v1/interactions', {
        kind: 'meeting', occurred_on: '2026-03-11', summary: P(i), contact_ids: contact ? [contact] : [], organisation_ids: orgId ? [orgId] : [],
        follow_up_on: '2026-12-24', follow_up_note: P(i + 1),
      })
      if (i % 4 === 0) {
        await put('bodies', '/api/v1/bodies', { name: P(i), kind: 'network', description: P(i + 1) })
        await put('plans', '/api/v1/plans', { name: P(i), goal: P(i + 1) })
        await put('lists', '/api/v1/newsletter/lists', { name: P(i), description: P(i + 1), public: true })
      }
    })
    // In payload order, as if made one after another: what is picked below by position is the same every run.
    for (const list of Object.values(ids)) list.sort((a, b) => (payloadOf.get(a) ?? 0) - (payloadOf.get(b) ?? 0))
    // Saved segments: name, description and the filter's free text (title) and tags, with people named explicitly.
    for (let i = 0; i < n; i++) {
      await post('segments', '/api/v1/segments', {
        name: `${P(i)} segment`, description: P(i + 1), filter: { title: P(i + 2), tags: [P(i + 3).slice(0, 50)] },
        include_ids: (ids.contacts ?? []).slice(i, i + 1), exclude_ids: (ids.contacts ?? []).slice(i + 1, i + 2),
      })
    }
    // Events open for registration: the activity, its questions and their options, and a visitor's
    // registration (name, organisation, answers) through the public form.
    for (let i = 0; i < n; i += 2) {
      const event = await post('events', '/api/v1/activities', { title: P(i), type: 'seminar', start_date: '2099-05-10', location: P(i + 1), participants: [] })
      if (!event) continue
      const settings = await admin.request.put(`/api/v1/activities/${event}/registration`, {
        data: { open: true, questions: [{ label: P(i + 2), kind: 'text' }, { label: P(i + 3), kind: 'choice', options: [P(i + 4).slice(0, 100), P(i + 5).slice(0, 100)] }] },
      })
      expect(settings.status(), await settings.text()).toBe(200)
      const [text, choice] = ((await settings.json()) as { questions: { id: string; options: string[] }[] }).questions
      const registered = await admin.request.post(`/events/${event}`, {
        form: { name: P(i + 6).slice(0, 200), email: `xss.besokare${i}@example.se`, organisation: P(i + 7), [`q_${text!.id}`]: P(i + 8), [`q_${choice!.id}`]: choice!.options[0]! },
      })
      expect(registered.status(), `/events/${event}`).toBe(200)
    }
    // Newsletter issues: composed through the form (subject, intro, a section's heading and text,
    // a payload-named idea, event, list and segment) and through the API (a plain body); half sent,
    // so that they are in the public archive.
    const version = async (path: string) => Number(/name="version" value="(\d+)"/.exec(await (await admin.request.get(path)).text())?.[1] ?? 0)
    for (let i = 0; i < n; i += 2) {
      const composed = await admin.request.post('/newsletter/compose', {
        form: {
          subject: P(i), intro: P(i + 1), 'sections.0.heading': P(i + 2), 'sections.0.text': P(i + 3),
          'sections.0.idea_ids': ids.products?.[i] ?? '', 'sections.0.activity_ids': ids.events?.[i / 2] ?? '',
          list_ids: ids.lists?.[(i / 2) % (ids.lists?.length ?? 1)] ?? '', segment_id: ids.segments?.[i] ?? '',
        },
      })
      const issue = /\/newsletter\/compose\/([0-9a-f-]{36})$/.exec(new URL(composed.url()).pathname)?.[1]
      expect(issue, `compose ${i}: ${composed.status()}`).toBeTruthy()
      ;(ids.issues ??= []).push(issue!)
      const plain = await post('apiIssues', '/api/v1/newsletter/issues', { list_ids: ids.lists?.slice(0, 1) ?? [], subject: `${P(i + 1)} API`, body: `${P(i + 2)}\n\n${P(i + 3)}` })
      if (i % 4 === 0) {
        for (const id of [issue!, plain].filter((x): x is string => !!x)) {
          const sent = await admin.request.post(`/api/v1/newsletter/issues/${id}/send`, { data: {} })
          expect(sent.status(), await sent.text()).toBeLessThan(300)
          sentIssues.push(id)
        }
      }
    }
    // The record of processing: the register's own texts, and culling decisions with a rule in force.
    const settingsSaved = await admin.request.post('/admin/privacy', {
      form: { purpose: P(0), controller: P(1), dpo_contact: P(2), recipients: P(3), source: P(4), version: String(await version('/admin/privacy')) },
    })
    expect(settingsSaved.status()).toBe(200)
    for (let i = 0; i < n; i += 4) {
      const decision = await post('decisions', '/api/v1/retention/decisions', { reference: P(i).slice(0, 100), title: P(i + 1), decided_on: '2026-02-01', covers: P(i + 2), retention_period: P(i + 3) })
      if (decision) await post('rules', '/api/v1/retention/rules', { kind: 'interaction_notes', months: 24 + i, action: 'review', decision_id: decision })
    }

    // Import rows: a contacts file of payloads (one row with a bad e-mail address fails and is reported).
    const rows = CORPUS.slice(0, 12).map((p, i) => [p, `Import ${i}`, i === 3 ? p : `import${i}@example.se`, P(i + 2)])
    const csv = ['Förnamn;Efternamn;E-post;Titel', ...rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(';'))].join('\r\n')
    await admin.goto('/import')
    await admin.getByLabel('Kontakter').check()
    await admin.setInputFiles('#f-file', { name: 'xss.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await admin.getByRole('button', { name: 'Läs in filen' }).click()
    await admin.getByRole('button', { name: 'Förhandsgranska' }).click()
    const preview = admin.url()
    await checkPage(admin, preview, 'import preview')
    await admin.getByRole('button', { name: /^Importera/ }).click()
    await admin.locator('h1', { hasText: 'Importen är klar' }).waitFor()
    importReport = new URL(admin.url()).pathname
  }, 240_000)

  const executed: string[] = []

  /** Loads `path` and checks that nothing ran and no payload became markup. */
  async function checkPage(page: Page, path: string, label = path): Promise<number | undefined> {
    const res = await page.goto(path)
    await page.waitForLoadState('load')
    // htmx requests the page starts on load (lists, progress) settle before the page is read.
    await page.waitForFunction(() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling'), undefined, { timeout: 10_000 }).catch(() => undefined)
    const injected = await page.evaluate((selector) => {
      const found = [...document.querySelectorAll(selector)].map((e) => e.outerHTML.slice(0, 120))
      const canary = (window as unknown as { __xssCanary?: string[] }).__xssCanary ?? []
      return { found, canary }
    }, INJECTED)
    for (const f of injected.found) executed.push(`${label}: payload became markup: ${f}`)
    for (const c of injected.canary) executed.push(`${label}: payload ran: ${c}`)
    return res?.status()
  }

  async function watch(context: BrowserContext): Promise<void> {
    await context.exposeBinding('__x', (source, what: unknown) => executed.push(`${source.page?.url()}: payload ran: __x(${String(what)})`))
    await context.addInitScript(() => {
      ;(window as unknown as { __xssCanary: string[] }).__xssCanary = []
    })
    context.on('page', (p) => p.on('dialog', (d) => {
      executed.push(`${p.url()}: a dialog opened: ${d.type()} ${d.message()}`)
      void d.dismiss()
    }))
  }

  /**
   * checkPage for every path, on TABS pages of the context at once (a page's check mostly waits
   * on the server and the browser); a status of 400 or more, or none, is added to `statuses`.
   */
  async function checkEach(context: BrowserContext, paths: string[], label: (path: string) => string, statuses: string[]): Promise<void> {
    const tabs = await Promise.all(Array.from({ length: TABS }, () => context.newPage()))
    await inParallel(paths, TABS, async (path, lane) => {
      const status = await checkPage(tabs[lane]!, path, label(path))
      if (status === undefined || status >= 400) statuses.push(`${label(path)} → ${status}`)
    })
    // Give a timer-based payload (meta refresh, a late onload) on the pages still open its chance.
    await tabs[0]!.waitForTimeout(500)
    await Promise.all(tabs.map((tab) => tab.close()))
  }

  function pages(): string[] {
    const list = [
      '/', '/contacts', '/contacts?q=script', '/organisations', '/organisations?tag=' + encodeURIComponent(P(2).slice(0, 50)),
      '/alliances', '/alliances/board', '/activities', '/activities/calendar', '/interactions', '/projects', '/products', '/themes',
      '/bodies', '/plans', '/plans/coverage', '/network', '/network?expand=all', '/api/v1/network', '/search?q=script', '/search?q=' + encodeURIComponent(P(3)),
      '/api/v1/search?q=script', '/duplicates', '/stakeholder-map', '/reports/period?from=2026-01-01&to=2026-12-31', '/admin/audit',
      '/newsletter', '/ideas', '/contacts/merge', '/organisations/merge', importReport, '/import',
      '/segments', '/segments/new', '/newsletter/compose', '/admin/privacy', '/admin/privacy/record', '/admin/retention', '/privacy',
    ]
    // Each record's own page and edit form. Every payload is in every kind's lists; a record's own
    // pages are visited for a rotating share of the records per kind (every payload still reaches
    // several kinds' detail and edit pages), XSS_FULL=1 visits all of them.
    const kinds = ['contacts', 'organisations', 'alliances', 'activities', 'projects', 'products', 'themes', 'interactions', 'bodies', 'plans']
    // By the payload a record holds, not by when it was made: the same share every run.
    const pick = (kind: string, i: number, id: string) => FULL || (ids[kind] ?? []).length <= 8 || ((payloadOf.get(id) ?? i) + kinds.indexOf(kind)) % 4 === 0
    for (const kind of kinds) {
      for (const [i, id] of (ids[kind] ?? []).entries()) if (pick(kind, i, id)) list.push(`/${kind}/${id}`, `/${kind}/${id}/edit`)
    }
    for (const [i, id] of (ids.products ?? []).entries()) if (pick('ideas', i, id)) list.push(`/ideas/${id}`)
    for (const [i, id] of (ids.segments ?? []).entries()) if (pick('segments', i, id)) list.push(`/segments/${id}`, `/segments/${id}/edit`)
    // Every event's staff pages (settings with the questions and the registrations, check-in) and its public page.
    for (const id of ids.events ?? []) list.push(`/activities/${id}`, `/activities/${id}/registration`, `/activities/${id}/check-in`, `/events/${id}`)
    for (const id of [...(ids.issues ?? []), ...(ids.apiIssues ?? [])]) {
      list.push(`/newsletter/compose/${id}`)
      if (!sentIssues.includes(id)) list.push(`/newsletter/compose/${id}/edit`)
    }
    for (const id of sentIssues) list.push(`/newsletter/issues/${id}`)
    for (const id of (ids.contacts ?? []).slice(0, 4)) list.push(`/contacts/${id}/extract`, `/history/contact/${id}`, `/network/card/contact/${id}`, `/network?focus=${id}`)
    for (const id of (ids.organisations ?? []).slice(0, 4)) list.push(`/history/organisation/${id}`, `/network/card/organisation/${id}`, `/network?focus=${id}`)
    return list
  }

  it('stores the corpus (most of it: validators may refuse a URL or a name)', () => {
    const stored = Object.values(ids).reduce((n, l) => n + l.length, 0)
    expect(ids.contacts?.length, refused.join('\n')).toBe(CORPUS.length)
    expect(ids.organisations?.length).toBe(CORPUS.length)
    expect(ids.products?.length).toBe(CORPUS.length)
    expect(stored, refused.join('\n')).toBeGreaterThan(CORPUS.length * 8)
    expect(importReport).toMatch(/^\/import\/reports\//)
    expect(ids.segments?.length).toBe(CORPUS.length)
    expect(ids.events?.length).toBe(CORPUS.length / 2)
    expect(ids.issues?.length).toBe(CORPUS.length / 2)
    expect(ids.apiIssues?.length).toBe(CORPUS.length / 2)
    expect(ids.decisions?.length).toBe(CORPUS.length / 4)
  })

  it('sends the issues that go to the public archive', async () => {
    for (const id of sentIssues) {
      await expect.poll(async () => ((await (await admin.request.get(`/api/v1/newsletter/issues/${id}`)).json()) as { status: string }).status, { timeout: 60_000 }).toBe('sent')
    }
  }, 120_000)

  it('runs no payload and makes no markup of one on any page, under the CSP (no violation either)', async () => {
    const context = await e2e.newContext()
    await watch(context)
    await login(await context.newPage(), ADMIN.email, ADMIN.password)
    const statuses: string[] = []
    const all = pages()
    await checkEach(context, all, (path) => path, statuses)
    // The public pages, to a visitor.
    const visitor = await e2e.newContext()
    await watch(visitor)
    const publicPages = [...(ids.events ?? []).map((id) => `/events/${id}`), ...sentIssues.map((id) => `/newsletter/issues/${id}`), '/privacy']
    await checkEach(visitor, ['/ideas', ...(ids.products ?? []).map((id) => `/ideas/${id}`), '/newsletter', '/login', ...publicPages], (path) => `visitor ${path}`, statuses)

    // Exports are files, never pages: attachment, a text type and nosniff.
    for (const path of ['/contacts?format=csv', '/organisations?format=csv&lang=sv', '/projects?format=csv', '/activities?format=csv', `${importReport}/failed.csv`, '/admin/audit?format=csv']) {
      const res = await admin.request.get(path)
      if (res.status() === 404) continue
      expect(res.status(), path).toBe(200)
      expect(res.headers()['content-type'], path).toMatch(/^text\/csv/)
      expect(res.headers()['content-disposition'], path).toMatch(/^attachment/)
      expect(res.headers()['x-content-type-options'], path).toBe('nosniff')
    }
    expect(statuses).toEqual([])
    expect(executed).toEqual([])
    console.log(`xss corpus: ${CORPUS.length} payloads in ${Object.values(ids).reduce((n, l) => n + l.length, 0)} records, ${all.length} pages checked`)
  }, 600_000)

  it('runs no payload even with the CSP bypassed (the escaping holds on its own)', async () => {
    const context = await e2e.newContext({ bypassCSP: true })
    await watch(context)
    await login(await context.newPage(), ADMIN.email, ADMIN.password)
    const lists = pages().filter((p) => !/\/[0-9a-f-]{36}/.test(p) || p === importReport)
    const details = (['contacts', 'organisations', 'alliances', 'products'] as const).flatMap((k) => (ids[k] ?? []).slice(0, 4).map((id) => `/${k}/${id}`))
    await checkEach(context, [...lists, ...details], (path) => `no CSP ${path}`, [])
    expect(executed).toEqual([])
  }, 600_000)
})
