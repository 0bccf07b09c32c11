import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import type { AppDeps, AppEnv } from './app-env.ts'
import { csrfProtection } from './auth/csrf.ts'
import { stoppedWhenAborted } from './db/client-gone.ts'
import { undeclaredRoutes } from './auth/roles.ts'
import { loadSession } from './auth/session-cookie.ts'
import { features } from './features.ts'
import { cachePolicy } from './web/cache-policy.ts'
import { handleError } from './web/error-handler.ts'
import { rejectUnstorableText } from './web/input-guard.ts'
import { NotFoundError, PayloadTooLargeError } from './web/errors.ts'
import { language } from './web/i18n.ts'
import { requestLog } from './web/request-log.ts'
import { staticFiles } from './web/static.ts'
import { plugIn, type Feature } from './web/plug-in.ts'
import { collectSections } from './web/sections.ts'
import { apiDocs } from './web/api-docs.routes.ts'

const MAX_BODY_BYTES = 1024 * 1024

/** The app: shared middleware, then every feature of `plugged` (all of src/features.ts by default). */
export function createApp(deps: AppDeps, plugged: readonly Feature[] = features): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.use(async (c, next) => {
    c.set('deps', deps)
    c.set('db', deps.db)
    c.set('user', null)
    c.set('session', null)
    await next()
  })
  // A read whose client has gone stops at its next query (src/db/client-gone.ts).
  app.use((c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? stoppedWhenAborted(c.req.raw.signal, next) : next()))
  app.use(requestId({ generator: () => crypto.randomUUID() }))
  app.use(requestLog)
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      referrerPolicy: 'same-origin',
      xFrameOptions: 'DENY',
      crossOriginEmbedderPolicy: false,
      permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
    }),
  )
  app.use(language)
  app.route('/static', staticFiles())
  plugIn(plugged)
  const sections = collectSections(plugged)
  app.use((c, next) => {
    c.set('sections', sections)
    return next()
  })
  for (const f of plugged) if (f.early) app.route('/', f.early)

  const globalBodyLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => { throw new PayloadTooLargeError() } })
  const ownLimit = plugged.flatMap((f) => (f.ownBodyLimit ? [f.ownBodyLimit] : []))
  app.use((c, next) => (ownLimit.some((own) => own(c.req.method, c.req.path)) ? next() : globalBodyLimit(c, next)))
  app.use(csrfProtection(deps.config.trustProxy, plugged.flatMap((f) => f.crossSitePosts ?? [])))
  app.use(loadSession)
  app.use(cachePolicy)
  for (const f of plugged) for (const gate of f.middleware ?? []) app.use(gate)
  app.use(rejectUnstorableText((method, path) => ownLimit.some((own) => own(method, path))))

  for (const f of plugged) {
    if (f.routes) app.route('/', f.routes)
    if (f.api) app.route('/api/v1', f.api)
  }

  // The API's reference, read off the router once every feature is mounted.
  app.route('/', apiDocs(() => app.routes))

  app.notFound((c) => handleError(new NotFoundError(), c))
  app.onError(handleError)

  // Deny by default: a route that does not say who may use it stops the app from starting.
  const undeclared = undeclaredRoutes(app.routes)
  if (undeclared.length > 0) throw new Error(`Routes without an access declaration: ${undeclared.join(', ')}`)
  return app
}
