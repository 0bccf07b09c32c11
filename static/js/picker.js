// The record pickers' search boxes search as you type (htmx); Enter there must not submit
// the whole form half-filled.
document.addEventListener('keydown', (event) => {
  const target = event.target
  if (event.key === 'Enter' && target instanceof HTMLInputElement && target.hasAttribute('data-picker-search')) event.preventDefault()
})
