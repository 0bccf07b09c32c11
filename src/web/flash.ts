import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { isMessageKey, type MessageKey } from './i18n.ts'

// The cookie holds a catalogue key, never user text, so it cannot carry markup.
export function setFlash(c: Context, key: MessageKey): void {
  setCookie(c, 'flash', key, { path: '/', httpOnly: true, sameSite: 'Lax', maxAge: 60 })
}

/** Read once, by the next full page shown. */
export function takeFlash(c: Context): MessageKey | null {
  const key = getCookie(c, 'flash')
  if (key === undefined) return null
  deleteCookie(c, 'flash', { path: '/' })
  return isMessageKey(key) ? key : null
}
