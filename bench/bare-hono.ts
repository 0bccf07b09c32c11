/**
 * The floor of the suite (bench/suite.bench.ts): a bare Hono handler on @hono/node-server that
 * answers every GET with the same fixed page, as big as a list page. Whatever the app takes
 * beyond this is routing, sessions, queries and templates. `node bench/bare-hono.ts PORT BYTES`.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const port = Number(process.argv[2] ?? 0)
const bytes = Number(process.argv[3] ?? 20_000)
const row = '<tr><td><a href="/contacts/00000000-0000-4000-8000-000000000000">Andersson, Anna</a></td><td>Handläggare</td><td>Jönköpings län</td></tr>\n'
const page = `<!doctype html><html lang="sv"><head><title>Kontakter</title></head><body><table>\n${row.repeat(Math.ceil(bytes / row.length))}</table></body></html>`
const app = new Hono().get('*', (c) => c.html(page))
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log('ready'))
