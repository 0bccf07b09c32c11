// "/" jumps to search from anywhere: the search page's own box if there is one, else the
// header's. Left alone while typing in a field or with a modifier key, so "/" still types.
document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.isComposing || event.defaultPrevented) return
  const el = event.target
  if (el instanceof HTMLElement && (el.isContentEditable || el.closest('input, textarea, select, [contenteditable]'))) return
  const boxes = document.querySelectorAll('input[data-search-shortcut]')
  const box = boxes[boxes.length - 1]
  if (!(box instanceof HTMLInputElement)) return
  event.preventDefault()
  box.focus()
  box.select()
})
