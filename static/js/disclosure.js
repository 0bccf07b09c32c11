// Disclosures (the menu button, the menu's groups, forms kept behind a button): a <button
// data-disclosure aria-expanded aria-controls> shows or hides the element it controls by its
// `is-open` class; the stylesheet hides closed panels only when this script runs (the `js` class),
// so without it every panel stays visible. Loaded in <head> without `defer` so that the class is
// set before the first paint; the listeners are delegated, so content swapped in by htmx works too.
document.documentElement.classList.add('js')

;(() => {
  const panelOf = (button) => document.getElementById(button.getAttribute('aria-controls') || '')

  function setOpen(button, open) {
    const panel = panelOf(button)
    if (!panel) return
    button.setAttribute('aria-expanded', String(open))
    panel.classList.toggle('is-open', open)
  }

  const openGroups = () => document.querySelectorAll('.nav-group-toggle[aria-expanded="true"]')
  // The menu's groups float over the page on wide screens: there one open group at a time.
  const floating = (button) => getComputedStyle(panelOf(button) || document.body).position === 'absolute'

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null
    const button = target?.closest('button[data-disclosure]')
    if (button) {
      const open = button.getAttribute('aria-expanded') !== 'true'
      if (open && button.classList.contains('nav-group-toggle')) openGroups().forEach((b) => b !== button && setOpen(b, false))
      setOpen(button, open)
      if (open && button.dataset.focus) panelOf(button)?.querySelector(button.dataset.focus)?.focus()
      return
    }
    // A click elsewhere closes a floating group.
    openGroups().forEach((b) => {
      if (floating(b) && !b.parentElement?.contains(target)) setOpen(b, false)
    })
  })

  // Escape closes the innermost open menu part around the focus and returns to its button.
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !(document.activeElement instanceof Element)) return
    const focus = document.activeElement
    for (const button of [...openGroups(), ...document.querySelectorAll('.menu-toggle[aria-expanded="true"]')]) {
      if (button === focus || panelOf(button)?.contains(focus)) {
        setOpen(button, false)
        button.focus()
        event.preventDefault()
        return
      }
    }
  })

  // Tabbing out of a floating group closes it, as a menu bar's submenu would.
  document.addEventListener('focusout', (event) => {
    const to = event.relatedTarget instanceof Node ? event.relatedTarget : null
    openGroups().forEach((b) => {
      const group = b.parentElement
      if (to && group && floating(b) && group.contains(event.target instanceof Node ? event.target : null) && !group.contains(to)) setOpen(b, false)
    })
  })
})()
