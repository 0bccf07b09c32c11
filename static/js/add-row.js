// "Add a row" on forms with repeated rows (alliance members): copies the row's <template>, numbering
// it after the rows there are, without a round trip. Without script the button stays hidden and the
// form keeps offering one empty row after each save.
for (const button of document.querySelectorAll('[data-add-row]')) button.hidden = false

document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-add-row]') : null
  if (!(button instanceof HTMLButtonElement)) return
  const template = document.getElementById(button.dataset.addRow || '')
  const rows = document.getElementById(button.dataset.addTo || '')
  if (!(template instanceof HTMLTemplateElement) || !rows) return
  const i = Number(button.dataset.next || '0')
  button.dataset.next = String(i + 1)
  const holder = document.createElement('div')
  holder.innerHTML = template.innerHTML.replaceAll('__i__', String(i)).replaceAll('__n__', String(i + 1))
  const row = holder.querySelector('[data-row]')
  if (!row) return
  rows.append(row)
  if (window.htmx) window.htmx.process(row)
  const first = row.querySelector('input:not([type=hidden]), select, textarea')
  if (first instanceof HTMLElement) first.focus()
  rows.dispatchEvent(new CustomEvent('rows-changed', { bubbles: true }))
})
