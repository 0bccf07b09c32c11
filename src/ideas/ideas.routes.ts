import { listLinks, pickKeys } from '../web/list-links.ts'
import { queryOf } from '../web/query.ts'
import { Hono, type MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { AppEnv } from '../app-env.ts'
import { publicAccess } from '../auth/roles.ts'
import { SESSION_COOKIE } from '../auth/session-cookie.ts'
import { KINDS } from '../products/products.schema.ts'
import { themeTree } from '../themes/themes.repo.ts'
import { NotFoundError } from '../web/errors.ts'
import { isPartial } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { idParam, parseOrThrow } from '../web/validate.ts'
import { findIdea, ideaThemes, pageIdeas } from './ideas.repo.ts'
import { PRIVATE_NO_STORE } from '../web/cache-policy.ts'
import { listIdeasQuery } from './ideas.schema.ts'
import { themeNames } from '../register/vocabulary.ts'

/**
 * Shared caches may keep an idea bank page for five minutes, but only one made for nobody in
 * particular: asked for without a session cookie, and answered without setting a cookie (a
 * flash message, a refreshed session). Everything else stays in the asker's own browser.
 */
const publicCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next()
  const anonymous = getCookie(c, SESSION_COOKIE) === undefined && !c.req.header('authorization')
  const cacheable = anonymous && c.res.status === 200 && !c.res.headers.has('set-cookie')
  c.res.headers.set('Cache-Control', cacheable ? 'public, max-age=300' : PRIVATE_NO_STORE)
}

/** The public idea bank (seed 004): published products, browsable by anyone without signing in. */
export const ideaPages = new Hono<AppEnv>()
  .get('/', publicAccess, publicCache, async (c) => {
    const db = c.get('db')
    const params = queryOf(c)
    const query = parseOrThrow(c, listIdeasQuery, params)
    // Links carry the idea bank's own parameters only, not a newsletter's tracking tags.
    const list = listLinks('/ideas', pickKeys(params, Object.keys(listIdeasQuery.shape)), { sort: 'name', dir: 'asc' })
    const tree = await themeTree(db)
    const [page, themes] = await Promise.all([pageIdeas(db, query, tree), ideaThemes(db, tree)])
    const names = new Map(tree.map((th) => [th.id, th.name]))
    const data = { title: c.get('t')('ideas.title'), page, query, list, themes, themeName: (id: string) => names.get(id), kinds: KINDS }
    return render(c, isPartial(c) ? 'ideas/_results' : 'ideas/index', data)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', publicAccess, publicCache, idParam, async (c) => {
    const db = c.get('db')
    const idea = await findIdea(db, c.req.param('id'))
    if (!idea) throw new NotFoundError()
    const themes = await themeNames(db, idea.theme_ids)
    return render(c, 'ideas/show', { title: idea.title, idea, themes: idea.theme_ids.flatMap((id) => themes.get(id) ?? []) })
  })
