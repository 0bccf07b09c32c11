import type { Page } from 'playwright-core'

export const USER_PASSWORD = 'Kanelbullar med kardemumma'

/**
 * Fills in and submits the admin's new-user form, as a person would, and waits for the user
 * list. Returns the path of the new user's edit form (found through the list's search).
 */
export async function createUserThroughForm(
  page: Page,
  user: { name: string; email: string; role?: 'admin' | 'editor' | 'viewer'; password?: string },
): Promise<{ editPath: string }> {
  await page.goto('/admin/users/new')
  await page.locator('#f-name').fill(user.name)
  await page.locator('#f-email').fill(user.email)
  await page.locator(`input[name="role"][value="${user.role ?? 'viewer'}"]`).check()
  await page.locator('#f-password').fill(user.password ?? USER_PASSWORD)
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/admin/users'),
    page.locator('form[action="/admin/users"] button[type=submit]').click(),
  ])
  const href = await page.locator('#user-results tbody tr', { hasText: user.email }).locator('a').first().getAttribute('href')
  if (!href) throw new Error(`${user.email} is not in the user list after creating it`)
  return { editPath: href }
}
