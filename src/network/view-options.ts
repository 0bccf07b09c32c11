import type { Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { ClusterBy } from './network.schema.ts'
import type { ViewOptions2 } from './view.ts'
import { audienceOf } from '../privacy/visibility.ts'
import { readInTurns } from '../db/turns.ts'

/** The view's words in the reader's language (the anonymous person, cluster names), its audience, and how to read it on this engine. */
export function viewOptions(c: Context<AppEnv>): ViewOptions2 {
  const t = c.get('t')
  return {
    audience: audienceOf(c),
    inTurns: readInTurns(c.get('deps').engine),
    anonymousLabel: t('graph.anonymous'),
    clusterLabel: (by: ClusterBy, value: string | null, memberType: string | null) => clusterLabel(c, by, value, memberType),
  }
}

function clusterLabel(c: Context<AppEnv>, by: ClusterBy, value: string | null, memberType: string | null): string {
  const t = c.get('t')
  if (by === 'community' && value === 'isolated') return t('graph.cluster_isolated')
  if (by === 'community' && value === 'small') return t('graph.cluster_small')
  if (by === 'community') return t('graph.cluster_community', { n: Number(value) + 1 })
  const type = memberType ? t(`graph.type.${memberType}` as never) : ''
  if (value === null) return by === 'county' && (memberType === 'organisation' || memberType === 'contact') ? t('graph.cluster_no_county', { type }) : type
  if (by === 'kind') return `${type}: ${t((memberType === 'body' ? `body_kind.${value}` : `kind.${value}`) as never)}`
  return `${type}: ${value}`
}
