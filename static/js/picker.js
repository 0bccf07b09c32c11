// The record pickers' search boxes search as you type (htmx); Enter there must not submit
// the whole form half-filled.
document.addEventListener('keydown', (event) => {
  const target = event.target
  if (event.key === 'Enter' && target instanceof HTMLInputElement && target.hasAttribute('data-picker-search')) event.preventDefault()
})

// A contact person picked from another organisation than the member's (the option says so with
// data-elsewhere): the warning beside the select says it at once; the server says it again on the
// alliance page.
document.addEventListener('change', (event) => {
  const select = event.target
  if (!(select instanceof HTMLSelectElement) || !select.hasAttribute('data-elsewhere-warns')) return
  const warning = document.getElementById(select.getAttribute('data-elsewhere-warns') ?? '')
  if (!warning) return
  const option = select.selectedOptions[0]
  warning.textContent = option && option.hasAttribute('data-elsewhere') ? (select.getAttribute('data-elsewhere-text') ?? '') : ''
})
