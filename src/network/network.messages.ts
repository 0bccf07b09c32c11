export const sv = {
  'graph.anonymous': 'Anonymiserad person',
} as const

export const en: Record<keyof typeof sv, string> = {
  'graph.anonymous': 'Anonymised person',
}
