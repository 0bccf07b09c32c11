import type { Context } from 'hono'
import type { AppEnv } from '../app-env.ts'

/**
 * A forwarded header's value as the trusted proxy wrote it, or undefined without TRUST_PROXY.
 * Proxies append to `X-Forwarded-For` (and may to `-Host`/`-Proto`), so the entries on the left
 * are whatever the client sent: only the one `TRUST_PROXY_HOPS` from the right was written by
 * the proxy in front of us (1: the last; 2: a CDN in front of a load balancer, …).
 */
export function forwarded(c: Context<AppEnv>, header: 'x-forwarded-for' | 'x-forwarded-host' | 'x-forwarded-proto'): string | undefined {
  const { trustProxy, trustProxyHops = 1 } = c.get('deps').config
  if (!trustProxy) return undefined
  const entries = (c.req.header(header) ?? '').split(',').map((s) => s.trim())
  if (entries.length === 1 && entries[0] === '') return undefined
  return entries[Math.max(0, entries.length - trustProxyHops)] || undefined
}
