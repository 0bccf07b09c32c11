// The record picker (views/partials/org-picker.eta): an ARIA 1.2 combobox with a listbox popup.
// Type to get suggestions, ArrowDown/ArrowUp to move, Enter to choose, Escape to close. The id goes
// into the hidden field; the box's text goes along too, and the server refuses a text that names
// nothing (src/web/pick.ts), so a half-typed name is never saved as "none". Event delegation: rows
// added later (cloned templates, htmx swaps) work without setting up.
// With data-multiple (views/partials/org-multi-picker.eta) choosing adds a chip (a ticked checkbox)
// above the box and empties it for the next; a chip is removed by unticking it, by Delete or
// Backspace on it, or by Backspace in the empty box (the last one). The list offers only the unchosen.
(() => {
  const DELAY = 200
  const state = new WeakMap()

  const partsOf = (input) => {
    const root = input.closest('[data-combobox]')
    if (!root) return null
    let s = state.get(root)
    if (!s) {
      s = { timer: 0, results: [], active: -1, asked: null, answered: null, seq: 0 }
      state.set(root, s)
    }
    return {
      root, input, s,
      list: document.getElementById(input.getAttribute('aria-controls') || ''),
      value: root.querySelector('[data-combobox-value]'),
      status: root.querySelector('[data-combobox-status]'),
      error: document.getElementById(input.id + '-error'),
      multi: root.hasAttribute('data-multiple'),
      chips: root.querySelector('[data-combobox-chips]'),
    }
  }

  const say = (p, text) => { if (p.status) p.status.textContent = text }

  const close = (p) => {
    p.input.setAttribute('aria-expanded', 'false')
    p.input.removeAttribute('aria-activedescendant')
    if (p.list) p.list.hidden = true
    p.s.active = -1
  }

  const setError = (p, text) => {
    if (!p.error) return
    p.error.textContent = text
    p.error.hidden = !text
    p.root.classList.toggle('has-error', Boolean(text))
    const ids = (p.input.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== p.error.id)
    if (text) {
      ids.push(p.error.id)
      p.input.setAttribute('aria-invalid', 'true')
    } else p.input.removeAttribute('aria-invalid')
    p.input.setAttribute('aria-describedby', ids.join(' '))
  }

  const highlight = (p, index) => {
    const options = p.list ? [...p.list.querySelectorAll('[role=option]')] : []
    if (!options.length) return
    p.s.active = (index + options.length) % options.length
    options.forEach((o, i) => o.setAttribute('aria-selected', String(i === p.s.active)))
    const active = options[p.s.active]
    p.input.setAttribute('aria-activedescendant', active.id)
    active.scrollIntoView({ block: 'nearest' })
  }

  const chosenIds = (p) => new Set(p.chips ? [...p.chips.querySelectorAll('[data-combobox-chip]')].map((c) => c.value) : [])

  const show = (p, found) => {
    const taken = p.multi ? chosenIds(p) : new Set()
    const results = found.filter((r) => !taken.has(r.id))
    p.s.results = results
    if (!p.list) return
    p.list.replaceChildren()
    results.forEach((r, i) => {
      const li = document.createElement('li')
      li.id = `${p.input.id}-opt-${i}`
      li.setAttribute('role', 'option')
      li.setAttribute('aria-selected', 'false')
      li.dataset.index = String(i)
      li.textContent = r.name
      if (r.county) {
        const county = document.createElement('span')
        county.className = 'muted'
        county.textContent = ` (${r.county})`
        li.append(county)
      }
      p.list.append(li)
    })
    if (!results.length) {
      const li = document.createElement('li')
      li.className = 'combobox-empty'
      li.textContent = p.root.dataset.noResults || ''
      p.list.append(li)
    }
    p.list.hidden = false
    p.input.setAttribute('aria-expanded', 'true')
    p.s.active = -1
    p.input.removeAttribute('aria-activedescendant')
    say(p, results.length ? (p.root.dataset.results || '').replace('{n}', String(results.length)) : (p.root.dataset.noResults || ''))
  }

  const search = async (p, then) => {
    const q = p.input.value.trim()
    const seq = ++p.s.seq
    const url = new URL(p.root.dataset.optionsUrl || '', window.location.href)
    url.searchParams.set('q', q)
    p.s.asked = q
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      if (!res.ok || seq !== p.s.seq) return
      const results = await res.json()
      if (seq !== p.s.seq) return
      p.s.answered = q
      show(p, Array.isArray(results) ? results : [])
      if (then) then()
    } catch {
      // Offline or signed out: the server still checks the text when the form is sent.
    }
  }

  const exact = (p) => {
    const text = p.input.value.trim().toLocaleLowerCase('sv')
    const hits = p.s.results.filter((r) => r.name.trim().toLocaleLowerCase('sv') === text)
    return hits.length === 1 ? hits[0] : null
  }

  const chipsChanged = (p, told) => {
    const none = p.root.querySelector('[data-combobox-none]')
    if (none) none.hidden = Boolean(p.chips && p.chips.querySelector('[data-combobox-chip]'))
    // A live count around the form (plans, segments) hears of it, once: an unticked chip has told it already.
    if (!told) p.root.dispatchEvent(new Event('change', { bubbles: true }))
  }

  const addChip = (p, r) => {
    if (!p.chips || chosenIds(p).has(r.id)) return
    const li = document.createElement('li')
    li.className = 'combobox-chip'
    const box = document.createElement('input')
    box.type = 'checkbox'
    box.name = p.root.dataset.name || ''
    box.value = r.id
    box.id = `${p.input.id}-chip-${r.id}`
    box.checked = true
    box.setAttribute('data-combobox-chip', '')
    const label = document.createElement('label')
    label.htmlFor = box.id
    label.textContent = r.name
    li.append(box, ' ', label)
    p.chips.append(li)
    chipsChanged(p)
  }

  /** Removes a chip; the keyboard goes to the next chip, or to the box after the last. */
  const removeChip = (chip, told = false) => {
    const root = chip.closest('[data-combobox]')
    const input = root?.querySelector('[data-combobox-input]')
    const p = input instanceof HTMLInputElement ? partsOf(input) : null
    const li = chip.closest('li')
    if (!p || !li) return
    const name = li.querySelector('label')?.textContent || ''
    const next = li.nextElementSibling?.querySelector('[data-combobox-chip]')
    li.remove()
    chipsChanged(p, told)
    ;(next instanceof HTMLElement ? next : p.input).focus()
    say(p, (p.root.dataset.removed || '').replace('{name}', name))
  }

  const choose = (p, r) => {
    if (p.multi) {
      if (r) addChip(p, r)
      p.input.value = ''
      setError(p, '')
      close(p)
      if (r) say(p, (p.root.dataset.chosen || '').replace('{name}', r.name))
      return
    }
    p.input.value = r ? r.name : ''
    if (p.value) {
      p.value.value = r ? r.id : ''
      p.value.dispatchEvent(new Event('change', { bubbles: true }))
    }
    setError(p, '')
    close(p)
    if (r) say(p, (p.root.dataset.chosen || '').replace('{name}', r.name))
  }

  /** A text that is neither empty nor a chosen organisation: chosen if it is one's exact name, else said wrong. */
  const settle = (p) => {
    const text = p.input.value.trim()
    if (!text || (p.value && p.value.value)) return true
    if (p.s.answered !== text) return true // not looked up yet: the server decides
    const hit = exact(p)
    if (hit) {
      choose(p, hit)
      return true
    }
    setError(p, (p.root.dataset.noMatch || '').replace('{text}', text))
    return false
  }

  document.addEventListener('input', (event) => {
    const input = event.target
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute('data-combobox-input')) return
    const p = partsOf(input)
    if (!p) return
    // A half-typed name in a multi picker is no choice yet: a live count around it (segments) waits for the chip.
    if (p.multi) event.stopPropagation()
    // What is typed is no longer the organisation chosen; an empty box is an explicit "none".
    if (p.value && p.value.value) {
      p.value.value = ''
      p.value.dispatchEvent(new Event('change', { bubbles: true }))
    }
    setError(p, '')
    clearTimeout(p.s.timer)
    if (!input.value.trim()) {
      close(p)
      return
    }
    p.s.timer = setTimeout(() => search(p), DELAY)
  }, true)

  document.addEventListener('keydown', (event) => {
    const input = event.target
    if (input instanceof HTMLInputElement && input.hasAttribute('data-combobox-chip') && (event.key === 'Delete' || event.key === 'Backspace')) {
      event.preventDefault()
      removeChip(input)
      return
    }
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute('data-combobox-input')) return
    const p = partsOf(input)
    if (!p) return
    const open = input.getAttribute('aria-expanded') === 'true'
    if (p.multi && event.key === 'Backspace' && !input.value) {
      const chips = p.chips ? p.chips.querySelectorAll('[data-combobox-chip]') : []
      if (chips.length) {
        event.preventDefault()
        removeChip(chips[chips.length - 1])
      }
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      if (open) highlight(p, p.s.active < 0 ? (step > 0 ? 0 : -1) : p.s.active + step)
      else search(p, () => highlight(p, step > 0 ? 0 : -1))
    } else if (event.key === 'Enter') {
      if (open && p.s.active >= 0) {
        event.preventDefault()
        choose(p, p.s.results[p.s.active])
      } else if (open || (input.value.trim() && !(p.value && p.value.value))) {
        // Enter in a half-typed box must not send the form with the organisation missing.
        event.preventDefault()
        clearTimeout(p.s.timer)
        if (p.s.answered === input.value.trim()) settle(p)
        else search(p, () => settle(p))
      }
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault()
        close(p)
      }
    } else if (event.key === 'Tab') {
      close(p)
    }
  })

  // Unticking a chip removes it (without script it is simply not sent).
  document.addEventListener('change', (event) => {
    const chip = event.target
    if (chip instanceof HTMLInputElement && chip.hasAttribute('data-combobox-chip') && !chip.checked) removeChip(chip, true)
  })

  document.addEventListener('mousedown', (event) => {
    const option = event.target instanceof Element ? event.target.closest('[role=option]') : null
    const list = option?.closest('.combobox-list')
    if (!option || !list) return
    event.preventDefault()
    const input = document.querySelector(`[aria-controls="${list.id}"]`)
    const p = input instanceof HTMLInputElement ? partsOf(input) : null
    if (p) choose(p, p.s.results[Number(option.getAttribute('data-index'))])
  })

  document.addEventListener('focusout', (event) => {
    const input = event.target
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute('data-combobox-input')) return
    const p = partsOf(input)
    if (!p) return
    close(p)
    settle(p)
  })

  // A form is not sent with a box whose text is known to name no organisation.
  document.addEventListener('submit', (event) => {
    const form = event.target
    if (!(form instanceof HTMLFormElement)) return
    let first = null
    for (const input of form.querySelectorAll('[data-combobox-input]')) {
      const p = partsOf(input)
      if (p && !settle(p) && !first) first = input
    }
    if (first) {
      event.preventDefault()
      event.stopImmediatePropagation()
      first.focus()
    }
  }, true)
})()
