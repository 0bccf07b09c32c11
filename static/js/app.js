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
