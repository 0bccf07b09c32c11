/**
 * `work`'s result if it settles within `ms`, else `otherwise` (work itself goes on). The timer is
 * cleared either way, so it never holds the process open.
 */
export function within<T>(ms: number, work: Promise<T>, otherwise: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(otherwise), ms)))
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
