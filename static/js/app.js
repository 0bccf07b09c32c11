// Small progressive enhancements; every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // Move focus to an error summary so screen readers announce it.
  const summary = document.querySelector('.error-summary')
  if (summary instanceof HTMLElement) summary.focus()
})
document.addEventListener('htmx:afterSwap', () => {
  const summary = document.querySelector('.error-summary')
  if (summary instanceof HTMLElement) summary.focus()
})

// ?lang= chose this page's language and set the cookie: the address bar need not keep it (a link
// that carries it, shared on purpose, still works for whoever opens it).
{
  const url = new URL(window.location.href)
  if (url.searchParams.has('lang')) {
    url.searchParams.delete('lang')
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash)
  }
}
