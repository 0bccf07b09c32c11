/** WCAG 2 contrast ratio of two CSS colours as the browser computes them ("rgb(…)"/"rgba(…)", opaque). */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)]
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05)
}

function luminance(css: string): number {
  const parts = css.match(/[\d.]+/g)?.map(Number) ?? []
  if (parts.length < 3) throw new Error(`not an rgb() colour: ${css}`)
  if (parts.length > 3 && parts[3] !== 1) throw new Error(`a translucent colour has no contrast of its own: ${css}`)
  const [r, g, b] = parts.slice(0, 3).map((v) => {
    const c = v / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}
