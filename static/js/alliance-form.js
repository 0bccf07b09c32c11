// The alliance form: a commitment is made by a member, also one added in this same form. Each
// commitment's "who" follows the member rows as organisations are chosen (the picker's hidden field
// changes), so a new member can be named before anything is saved. Without script the list offers the
// empty member row by its number, and the server reads it (namedMembers in alliances.schema.ts).
(() => {
  const members = () => {
    const out = []
    for (const row of document.querySelectorAll('#member-rows [data-row]')) {
      const id = row.querySelector('[data-member-organisation]')
      const box = row.querySelector('[data-combobox-input]')
      if (id instanceof HTMLInputElement && id.value && box instanceof HTMLInputElement) out.push({ value: id.value, label: box.value, row: id.name.split('.')[1] })
    }
    return out
  }

  const sync = () => {
    const list = members()
    for (const select of document.querySelectorAll('[data-commitment-by] select')) {
      const current = select.value
      const byRow = /^@members\.(\d+)$/.exec(current)
      const wanted = byRow ? (list.find((m) => m.row === byRow[1])?.value ?? '') : current
      const blank = select.querySelector('option[value=""]')
      const kept = [...select.options].filter((o) => o.value && !o.value.startsWith('@') && !list.some((m) => m.value === o.value) && o.value === current)
      select.replaceChildren(...(blank ? [blank] : []))
      for (const m of list) select.append(new Option(m.label, m.value))
      // A commitment by an organisation no longer among the members keeps it shown; the server says why.
      for (const o of kept) select.append(o)
      select.value = [...select.options].some((o) => o.value === wanted) ? wanted : ''
    }
  }

  document.addEventListener('change', (event) => {
    if (event.target instanceof HTMLInputElement && event.target.hasAttribute('data-member-organisation')) sync()
  })
  document.addEventListener('rows-changed', sync)
  document.addEventListener('DOMContentLoaded', sync)
  if (document.readyState !== 'loading') sync()
})()
