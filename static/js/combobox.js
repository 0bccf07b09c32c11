// The record picker (views/partials/org-picker.eta): an ARIA 1.2 combobox with a listbox popup.
// Type to get suggestions, ArrowDown/ArrowUp to move, Enter to choose, Escape to close. The id goes
// into the hidden field; the box's text goes along too, and the server refuses a text that names
// nothing (src/web/pick.ts), so a half-typed name is never saved as "none". Event delegation: rows
// added later (cloned templates, htmx swaps) work without setting up.
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

  const show = (p, results) => {
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

  const choose = (p, r) => {
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
  })

  document.addEventListener('keydown', (event) => {
    const input = event.target
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute('data-combobox-input')) return
    const p = partsOf(input)
    if (!p) return
    const open = input.getAttribute('aria-expanded') === 'true'
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
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
