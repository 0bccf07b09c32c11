import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['browser']>>
let token: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.browser('editor')
  token = await t.apiToken('editor')
})
afterAll(() => t.close())

const page = (path: string, cookie = editor.cookie, headers: Record<string, string> = {}) => t.request(path, { headers: { cookie, ...headers } })
const post = (path: string, fields: Record<string, string>, cookie = editor.cookie) => t.request(path, formPost(fields, cookie))
const apiCreate = async (path: string, body: Record<string, unknown>) => {
  const res = await t.request(path, jsonRequest('POST', body, token.headers))
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json()
}

describe('product pages', () => {
  it('says what to do when there are no products yet, and is in the menu', async () => {
    const html = await (await page('/products')).text()
    expect(html).toContain('Det finns inga produkter ännu.')
    expect(html).toContain('href="/products/new"')
    expect(html).toContain('<a href="/products" aria-current="page">Produkter</a>')
  })

  it('adds a product from its project’s page, the project and its themes chosen already, and publishes it', async () => {
    const theme = await apiCreate('/api/v1/themes', { name: 'Samhällsorientering' })
    const project = await apiCreate('/api/v1/projects', { name: 'Trygg start', theme_ids: [theme.id] })
    const form = await (await page(`/products/new?project_id=${project.id}`)).text()
    expect(form).toContain(`<option value="${project.id}" selected>Trygg start</option>`)
    expect(form).toMatch(new RegExp(`value="${theme.id}" id="theme-${theme.id}" checked`))
    expect(form).toContain('hx-get="/projects/options"')
    expect(form).toContain('Idébanken är öppen för alla utan inloggning.')
    const res = await post('/products', {
      title: 'Samhällsorientering på modersmål', kind: 'method', project_id: project.id, theme_ids: theme.id, url: 'https://www.example.se/so',
      summary: 'Information om det svenska samhället på det egna språket, av samhällskommunikatörer.', good_practice_status: 'validated', public: 'true', q: '',
    })
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    const id = location.split('/').pop()!
    const html = await (await page(location)).text()
    expect(html).toContain('<h1>Samhällsorientering på modersmål <span class="muted">– Metod</span></h1>')
    expect(html).toContain(`<a href="/projects/${project.id}">Trygg start</a>`)
    expect(html).toContain('<span class="status-tag status-active">Validerat gott exempel</span>')
    expect(html).toContain('Publik i idébanken')
    expect(html).toContain(`<a class="button" href="/ideas/${id}">Visa i idébanken</a>`)
    expect(html).toContain('<a href="https://www.example.se/so" rel="noopener noreferrer">')
    expect(html).toContain('<li>Samhällsorientering</li>')
    const projectPage = await (await page(`/projects/${project.id}`)).text()
    expect(projectPage).toContain(`<a href="/products/${id}">Samhällsorientering på modersmål</a>`)
    expect((await t.request(`/ideas/${id}`)).status).toBe(200)
  })

  it('explains on the field why a product without a summary cannot be public', async () => {
    const res = await post('/products', { title: 'Film utan text', kind: 'film', summary: '', public: 'true' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('<p class="error" id="f-public-error">En produkt kan bara visas i idébanken om den har en sammanfattning, eftersom det är den läsarna ser. Skriv en sammanfattning först.</p>')
    expect(html).toMatch(/<input type="checkbox" id="f-public" name="public" value="true" checked aria-invalid="true" aria-describedby="f-public-hint f-public-error">/)
    expect(html).toContain('href="#f-public"')
    expect(html).toContain('value="Film utan text"')
  })

  it('answers 422 with messages next to the title and kind, keeping what was typed', async () => {
    const res = await post('/products', { title: '', kind: '', url: 'inte en adress', summary: 'Min text' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('id="f-title-error"')
    expect(html).toContain('id="f-kind-error"')
    expect(html).toContain('id="f-url-error"')
    expect(html).toContain('Min text')
  })

  it('shows a changed-meanwhile form that keeps what the user typed', async () => {
    const product = await apiCreate('/api/v1/products', { title: 'Lägesrapport 2003', kind: 'report' })
    const edit = await (await page(`/products/${product.id}/edit`)).text()
    expect(edit).toContain('name="version" value="1"')
    expect(edit).toMatch(/<option value="report" selected>Rapport<\/option>/)
    expect((await post(`/products/${product.id}`, { version: '1', title: 'Delrapport 2003', kind: 'report' })).status).toBe(303)
    const res = await post(`/products/${product.id}`, { version: '1', title: 'Lägesrapport våren 2003', kind: 'report', summary: 'Mitt utkast' })
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(html).toContain('Någon annan har ändrat uppgifterna')
    expect(html).toContain('value="Lägesrapport våren 2003"')
    expect(html).toContain('Mitt utkast')
    expect(html).toContain('Sparat nu: Delrapport 2003')
    expect(html).toContain('name="version" value="2"')
  })

  it('lists, searches as you type (fragment), filters by kind, good practice and visibility, exports CSV', async () => {
    await apiCreate('/api/v1/products', { title: 'Valideringsmodellen', kind: 'method', good_practice_status: 'candidate' })
    const fragment = await (await page('/products?q=valideringsmodell', editor.cookie, { 'hx-request': 'true' })).text()
    expect(fragment).not.toContain('<html')
    expect(fragment).toContain('Valideringsmodellen')
    expect(fragment).toMatch(/\b1 träff\b/)
    expect(await (await page('/products?kind=method&good_practice_status=candidate&public=false')).text()).toContain('Valideringsmodellen')
    expect(await (await page('/products?public=true')).text()).not.toContain('Valideringsmodellen')
    const csv = await page('/products?q=valideringsmodell&format=csv')
    expect(csv.headers.get('content-type')).toContain('text/csv')
    expect(await csv.text()).toContain('Valideringsmodellen,method,,,candidate,false')
  })

  it('deletes a product, takes it out of the idea bank, and an admin restores it', async () => {
    const product = await apiCreate('/api/v1/products', { title: 'Tillfällig manual', kind: 'manual', public: true, summary: 'Kort.' })
    expect((await post(`/products/${product.id}/delete`, { version: '1' })).status).toBe(303)
    expect((await page(`/products/${product.id}`)).status).toBe(404)
    expect((await t.request(`/ideas/${product.id}`)).status).toBe(404)
    const admin = await t.browser('admin')
    const deleted = await (await page('/products?deleted=1', admin.cookie)).text()
    expect(deleted).toContain('Borttagna produkter')
    expect((await post(`/products/${product.id}/restore`, {}, editor.cookie)).status).toBe(403)
    expect((await post(`/products/${product.id}/restore`, {}, admin.cookie)).status).toBe(303)
    expect((await t.request(`/ideas/${product.id}`)).status).toBe(200)
  })
})
