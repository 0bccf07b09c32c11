// The alliance board: every card has a small form (a status <select> and a Move button) that
// works with the keyboard and without script. This adds dragging a card to another column,
// which fills in the card's form and submits it, and Enter on the select to submit it.
;(() => {
  let dragged = null
  const columnOf = (event) => (event.target instanceof Element ? event.target.closest('[data-drop-status]') : null)
  const clearTargets = () => document.querySelectorAll('.is-drop-target').forEach((el) => el.classList.remove('is-drop-target'))

  document.addEventListener('dragstart', (event) => {
    const card = event.target instanceof Element ? event.target.closest('[data-card][draggable="true"]') : null
    if (!card || !event.dataTransfer) return
    dragged = card
    event.dataTransfer.effectAllowed = 'move'
    event.dataTransfer.setData('text/plain', card.dataset.card)
    card.classList.add('is-dragging')
  })

  document.addEventListener('dragend', () => {
    if (dragged) dragged.classList.remove('is-dragging')
    dragged = null
    clearTargets()
  })

  document.addEventListener('dragover', (event) => {
    const column = columnOf(event)
    if (!column || !dragged) return
    event.preventDefault()
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'move'
    if (!column.classList.contains('is-drop-target')) {
      clearTargets()
      column.classList.add('is-drop-target')
    }
  })

  document.addEventListener('drop', (event) => {
    const column = columnOf(event)
    if (!column || !dragged) return
    event.preventDefault()
    clearTargets()
    const card = dragged
    dragged = null
    card.classList.remove('is-dragging')
    const status = column.dataset.dropStatus
    const form = card.querySelector('form[data-move-form]')
    const select = form && form.querySelector('select[data-move-select]')
    if (!select || card.dataset.status === status) return
    select.value = status
    form.requestSubmit()
  })

  document.addEventListener('keydown', (event) => {
    const target = event.target
    if (event.key === 'Enter' && target instanceof HTMLSelectElement && target.hasAttribute('data-move-select') && target.form) {
      event.preventDefault()
      target.form.requestSubmit()
    }
  })

  // After a move the board is new: keep the keyboard on the card that moved.
  document.addEventListener('htmx:load', (event) => {
    const root = event.target instanceof Element ? event.target : null
    const moved = root && root.querySelector('[data-moved] select[data-move-select]')
    if (moved) moved.focus()
  })
})()
