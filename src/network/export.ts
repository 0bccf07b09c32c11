import { MultiGraph } from 'graphology'
import gexfModule from 'graphology-gexf'

// CommonJS: Node hands its exports over as the default import.
const gexf = gexfModule as unknown as typeof import('graphology-gexf')

/**
 * The current view as files for Gephi and Cytoscape desktop — GraphML and GEXF — and as CSV,
 * with the measures as node attributes. Lists (categories, theme ids, activity ids) become
 * one text joined with "; " (GraphML has no list type; Gephi reads GEXF lists only in 1.3).
 */

/** Nodes and edges of a view, clustered or not. */
interface ExportView {
  nodes: readonly object[]
  edges: readonly object[]
}

type Row = Record<string, unknown> & { id: string }
const nodeList = (v: ExportView) => v.nodes as unknown as (Row & { label: string; degree: number; x?: number; y?: number })[]
const edgeList = (v: ExportView) => v.edges as unknown as (Row & { source: string; target: string; type: string; weight: number })[]

type AttrType = 'string' | 'int' | 'double' | 'boolean'

const NODE_ATTRS: [string, AttrType][] = [
  ['type', 'string'], ['kind', 'string'], ['county', 'string'], ['categories', 'string'], ['status', 'string'],
  ['theme_ids', 'string'], ['degree', 'int'], ['betweenness', 'double'], ['community', 'int'], ['plan', 'string'],
  ['match', 'boolean'], ['size', 'int'], ['x', 'double'], ['y', 'double'],
]
const EDGE_ATTRS: [string, AttrType][] = [
  ['type', 'string'], ['weight', 'double'], ['start_date', 'string'], ['end_date', 'string'], ['lead', 'boolean'],
  ['activity_ids', 'string'], ['match', 'boolean'], ['bridge', 'boolean'],
]

/** Characters XML 1.0 cannot carry at all (most control characters): left out. */
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

export function xmlEscape(s: string): string {
  return s.replace(INVALID_XML, '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!)
}

function value(v: unknown): string | null {
  if (v === undefined || v === null) return null
  if (Array.isArray(v)) return v.length ? v.join('; ') : null
  return String(v)
}

export function toGraphML(view: ExportView): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
      ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
  ]
  for (const [name, type] of NODE_ATTRS) out.push(`  <key id="n_${name}" for="node" attr.name="${name}" attr.type="${type}"/>`)
  for (const [name, type] of EDGE_ATTRS) out.push(`  <key id="e_${name}" for="edge" attr.name="${name}" attr.type="${type}"/>`)
  out.push('  <graph id="navet" edgedefault="undirected">')
  for (const n of nodeList(view)) {
    out.push(`    <node id="${xmlEscape(n.id)}">`)
    out.push(`      <data key="label">${xmlEscape(n.label)}</data>`)
    for (const [name] of NODE_ATTRS) {
      const v = value(n[name])
      if (v !== null) out.push(`      <data key="n_${name}">${xmlEscape(v)}</data>`)
    }
    out.push('    </node>')
  }
  for (const e of edgeList(view)) {
    out.push(`    <edge id="${xmlEscape(e.id)}" source="${xmlEscape(e.source)}" target="${xmlEscape(e.target)}">`)
    for (const [name] of EDGE_ATTRS) {
      const v = value(e[name])
      if (v !== null) out.push(`      <data key="e_${name}">${xmlEscape(v)}</data>`)
    }
    out.push('    </edge>')
  }
  out.push('  </graph>', '</graphml>', '')
  return out.join('\n')
}

const clean = (s: string) => s.replace(INVALID_XML, '')

export function toGEXF(view: ExportView): string {
  const g = new MultiGraph({ type: 'undirected' })
  for (const n of nodeList(view)) g.addNode(n.id, n)
  for (const e of edgeList(view)) g.addEdgeWithKey(e.id, e.source, e.target, e)
  return gexf.write(g, {
    version: '1.3',
    formatNode: (_key, a) => {
      const n = a as Row & { label: string; degree: number; x?: number; y?: number }
      const attributes: Record<string, string | number | boolean> = {}
      for (const [name] of NODE_ATTRS) {
        if (name === 'x' || name === 'y') continue
        const v = n[name]
        if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue
        attributes[name] = Array.isArray(v) ? clean(v.join('; ')) : typeof v === 'string' ? clean(v) : (v as number | boolean)
      }
      return {
        label: clean(n.label),
        attributes,
        ...(n.x !== undefined && n.y !== undefined ? { viz: { x: n.x, y: n.y, size: 1 + Math.sqrt(n.degree) } } : {}),
      }
    },
    formatEdge: (_key, a) => {
      const e = a as Row & { type: string; weight: number }
      const attributes: Record<string, string | number | boolean> = {}
      for (const [name] of EDGE_ATTRS) {
        if (name === 'weight') continue
        const v = e[name]
        if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue
        attributes[name] = Array.isArray(v) ? v.join('; ') : typeof v === 'string' ? clean(v) : (v as number | boolean)
      }
      return { label: e.type, weight: e.weight, attributes }
    },
  })
}

export function nodesCsv(view: ExportView): { header: string[]; rows: unknown[][] } {
  const header = ['id', 'label', ...NODE_ATTRS.map(([n]) => n)]
  return { header, rows: nodeList(view).map((n) => [n.id, n.label, ...NODE_ATTRS.map(([name]) => n[name])]) }
}

export function edgesCsv(view: ExportView): { header: string[]; rows: unknown[][] } {
  const header = ['id', 'source', 'target', ...EDGE_ATTRS.map(([n]) => n)]
  return { header, rows: edgeList(view).map((e) => [e.id, e.source, e.target, ...EDGE_ATTRS.map(([name]) => e[name])]) }
}
