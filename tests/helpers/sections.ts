type Request = (path: string, init?: RequestInit) => Response | Promise<Response>

const SLOT = /(<div id="section-[^"]+" class="section-slot" hx-get="([^"]+)" hx-trigger="load"[^>]*>)[\s\S]*?(<\/div>)/g

/** The hrefs of the section slots on a page (web/sections.ts), in order. */
export function sectionHrefs(html: string): string[] {
  return [...html.matchAll(SLOT)].map((m) => m[2]!)
}

/**
 * A record page as a browser with script shows it: each section slot (`hx-get`, `hx-trigger="load"`)
 * filled with what its route answers to htmx, as htmx does. A section that does not answer 200
 * leaves `[section <href>: <status>]` in its place, so a test reading the page sees it.
 */
export async function withSections(request: Request, res: Response, init: RequestInit = {}): Promise<Response> {
  if (!(res.headers.get('content-type') ?? '').includes('text/html')) return res
  const html = await res.text()
  const headers = { ...(init.headers as Record<string, string> | undefined), 'HX-Request': 'true' }
  const filled = new Map<string, string>()
  for (const href of sectionHrefs(html)) {
    const r = await request(href, { headers })
    filled.set(href, r.status === 200 ? await r.text() : `[section ${href}: ${r.status}]`)
  }
  const body = html.replace(SLOT, (_all, open: string, href: string, close: string) => `${open}${filled.get(href)}${close}`)
  return new Response(body, { status: res.status, headers: res.headers })
}

/** GET `path` and fill its sections. */
export async function pageWithSections(request: Request, path: string, init: RequestInit = {}): Promise<Response> {
  return withSections(request, await request(path, init), init)
}
