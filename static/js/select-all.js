// "Tick all" boxes: a checkbox with data-select-all="<name>" ticks or clears every checkbox of
// that name in its form. Hidden until this script runs, since without it it would do nothing.
document.addEventListener('change', (event) => {
  const box = event.target
  if (!(box instanceof HTMLInputElement) || !box.dataset.selectAll || !box.form) return
  for (const el of box.form.querySelectorAll('input[type=checkbox]')) {
    if (el instanceof HTMLInputElement && el.name === box.dataset.selectAll) el.checked = box.checked
  }
})
function reveal() {
  for (const box of document.querySelectorAll('input[data-select-all][hidden]')) box.hidden = false
}
document.addEventListener('DOMContentLoaded', reveal)
document.addEventListener('htmx:afterSwap', reveal)
