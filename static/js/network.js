// The network page: draws the view the server put in the JSON island #network-data (an inert
// <template>: htmx keeps those when it swaps a fragment, and drops scripts) with Cytoscape,
// keeps node positions stable from one view to the next, and wires the side panel, the name
// search, keyboard use and the PNG export. Nothing here builds markup from data: every text goes
// into the page through textContent or a property.
;(() => {
  const container = document.getElementById('network-graph')
  if (!container || typeof window.cytoscape !== 'function') return
  const cytoscape = window.cytoscape
  const page = document.getElementById('network-page')
  const form = document.getElementById('network-form')
  const status = document.getElementById('network-status')
  const selection = document.getElementById('network-selection')
  const card = document.getElementById('network-card')
  const panel = document.getElementById('network-panel')
  const layoutBox = document.getElementById('network-layout')
  const css = getComputedStyle(page)
  const colourVar = (name) => css.getPropertyValue('--net-' + name).trim() || '#888888'

  /** Views at least this large hide edges and labels while the viewport moves. */
  const LARGE = 1200
  /** Views at least this large use the WebGL renderer when the browser has WebGL 2. */
  const WEBGL_FROM = 2500
  /** Up to this many already placed nodes are pinned exactly when new ones join; above, they start where they were. */
  const PIN_LIMIT = 1500

  /** Node id → position from the force-directed layout: the same node stays where it was when filters change. */
  const positions = new Map()
  let cy = null
  let renderMode = ''
  let settings = { words: {} }
  let island = null
  let layoutRun = 0
  let lastLayout = ''
  let find = { term: '', index: -1 }
  /** A node to select once the next view is drawn (the organisation whose people were just shown). */
  let pendingSelect = null
  let savedPlaced = false

  const words = () => settings.words || {}
  const fill = (template, params) => String(template || '').replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m))
  // As the server folds what it searches (foldText in src/register/search-text.ts): marks off, lower
  // case, then the letters the page's settings name (ø → o, æ → ae).
  let foldedLetters = null
  const fold = (s) => {
    if (!foldedLetters) {
      const letters = settings.foldedLetters || {}
      const keys = Object.keys(letters)
      foldedLetters = { letters, pattern: keys.length ? new RegExp('[' + keys.join('') + ']', 'gu') : null }
    }
    const plain = String(s).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim()
    return foldedLetters.pattern ? plain.replace(foldedLetters.pattern, (c) => foldedLetters.letters[c]) : plain
  }
  const announce = (text) => {
    if (status) status.textContent = text
  }
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
  const RECORD_PATHS = { organisation: '/organisations/', contact: '/contacts/', alliance: '/alliances/', project: '/projects/', body: '/bodies/', theme: '/themes/' }
  const recordHref = (type, id) => (RECORD_PATHS[type] && UUID.test(id) ? RECORD_PATHS[type] + id : null)

  function readJson(id) {
    const el = document.getElementById(id)
    if (!el) return null
    try {
      return JSON.parse((el.content ? el.content.textContent : el.textContent) || 'null')
    } catch {
      return null
    }
  }

  // --- drawing --------------------------------------------------------------------------

  const SHAPES = { organisation: 'ellipse', contact: 'diamond', alliance: 'hexagon', project: 'round-rectangle', body: 'triangle', theme: 'star', cluster: 'octagon' }

  const LABEL = {
    label: 'data(display)',
    'font-size': '10px',
    color: '#1b1f24',
    'text-valign': 'bottom',
    'text-margin-y': 3,
    'text-wrap': 'ellipsis',
    'text-max-width': '140px',
    'text-outline-color': '#ffffff',
    'text-outline-width': 2,
    'min-zoomed-font-size': 5,
  }

  /**
   * A group's name on the group, in bold white. Not drawn where it would be under 7.2 px on screen
   * (zoom 0.6, where records' names stop being readable too): showLabels then names the largest
   * groups as it names records, readable below them (.lbl-key) — at 375 px every group's name was
   * 5.4 px, there but unreadable.
   */
  const CLUSTER_LABEL = { ...LABEL, 'font-size': '12px', 'font-weight': 'bold', 'text-valign': 'center', 'text-margin-y': 0, color: '#ffffff', 'text-outline-color': '#1b1f24', 'min-zoomed-font-size': 7.2 }
  const KEY_LABEL = { ...LABEL, 'font-size': 'data(lf)', 'text-max-width': 'data(lw)', 'min-zoomed-font-size': 0 }

  // Every property and selector costs time for each element when a view is first drawn, so a
  // large view starts bare: no borders, lighter edges, and labels only where they can be read
  // (class lbl, see showLabels) or on the selected node.
  function style(large) {
    const node = { 'background-color': 'data(c)', width: 'data(s)', height: 'data(s)', shape: 'data(shape)' }
    if (!large) Object.assign(node, { 'border-width': 1, 'border-color': '#ffffff' })
    return [
      { selector: 'node', style: node },
      { selector: 'node.lbl', style: LABEL },
      { selector: 'node.lbl-key', style: KEY_LABEL },
      { selector: 'node[type = "cluster"]', style: CLUSTER_LABEL },
      { selector: 'node.reached', style: { 'border-width': 4, 'border-color': '#1b1f24' } },
      { selector: 'node.not-reached', style: { 'border-width': 3, 'border-style': 'dashed', 'border-color': '#1b1f24' } },
      {
        selector: 'edge',
        style: large
          ? { width: 1, 'line-color': colourVar('edge-light'), 'curve-style': 'haystack' }
          : { width: 'data(w)', 'line-color': colourVar('edge'), 'curve-style': 'straight', opacity: 0.75 },
      },
      { selector: 'edge.gained', style: { 'line-color': colourVar('gained'), width: 5, opacity: 1 } },
      { selector: 'edge.lost', style: { 'line-color': colourVar('lost'), 'line-style': 'dashed', width: 3, opacity: 1 } },
      { selector: 'node.added', style: { 'border-width': 4, 'border-color': colourVar('gained') } },
      { selector: 'node.removed', style: { 'border-width': 3, 'border-style': 'dashed', 'border-color': colourVar('lost'), opacity: 0.6 } },
      { selector: '.dim', style: { opacity: 0.15 } },
      { selector: 'node.focus', style: { ...LABEL, 'font-weight': 'bold', 'border-width': 6, 'border-color': colourVar('selected'), 'border-style': 'solid' } },
      { selector: 'node:selected', style: { ...LABEL, 'border-width': 6, 'border-color': '#1b1f24', 'border-style': 'double' } },
      // A group keeps its own label when selected: the record's (10 px, below the node) vanished
      // under the ring, and at a phone's zoom fell below the size drawn at all.
      { selector: 'node[type = "cluster"]:selected', style: CLUSTER_LABEL },
      { selector: 'node[type = "cluster"].lbl-key', style: { ...KEY_LABEL, 'font-weight': 'bold' } },
      { selector: 'edge:selected', style: { 'line-color': '#1b1f24', width: 5, opacity: 1 } },
    ]
  }

  /**
   * Names by importance: the nodes in sight, largest (by the chosen measure, else degree) first,
   * each named only where its name does not run into one already placed — so the most central
   * are always named and the rest appear as the view is zoomed in. The selected and the focused
   * node are always named. At most LABELS_MAX names.
   */
  const LABELS_MAX = 300
  let labelTimer = 0
  function showLabels(now) {
    clearTimeout(labelTimer)
    const run = () => {
      if (!cy) return
      const zoom = cy.zoom()
      const font = 10 * zoom
      const ext = cy.extent()
      const candidates = cy.nodes().filter((n) => {
        const p = n.position()
        return p.x >= ext.x1 && p.x <= ext.x2 && p.y >= ext.y1 && p.y <= ext.y2
      })
      const importance = (n) => (n.hasClass('focus') || n.selected() ? 1e12 : 0) + (n.data('s') || 0) * 1e6 + (n.data('degree') || 0)
      const sorted = candidates.toArray().sort((a, b) => importance(b) - importance(a)).slice(0, 3000)
      const boxes = []
      const named = []
      // Names under about 6 px cannot be read: only the few most important then, drawn larger (.lbl-key).
      const readable = font >= 6
      for (const n of sorted) {
        if (named.length >= (readable ? LABELS_MAX : 8)) break
        const p = n.renderedPosition()
        const r = ((n.data('s') || 20) * zoom) / 2
        const text = String(n.data('display') || '')
        const size = readable ? font : 12
        const w = Math.min(text.length * size * 0.62, readable ? 140 * zoom : 170) + 6
        const box = { x1: p.x - w / 2, x2: p.x + w / 2, y1: p.y + r + 1, y2: p.y + r + 3 + size * 1.3 }
        const must = n.hasClass('focus') || n.selected()
        if (!must && boxes.some((b) => b.x1 < box.x2 && box.x1 < b.x2 && b.y1 < box.y2 && box.y1 < b.y2)) continue
        boxes.push(box)
        named.push(n)
      }
      cy.batch(() => {
        cy.nodes('.lbl, .lbl-key').removeClass('lbl lbl-key')
        for (const n of named) {
          if (!readable) n.data({ lf: 12 / zoom, lw: 170 / zoom })
          n.addClass(readable ? 'lbl' : 'lbl-key')
        }
      })
      container.dataset.labels = String(named.length)
    }
    if (now === true) run()
    else labelTimer = setTimeout(run, renderMode === 'small' ? 30 : 200)
  }

  /**
   * WebGL 2 on a real graphics processor. Measured in headless Chromium (software WebGL,
   * SwiftShader), the WebGL renderer was no faster than the canvas one and logged GPU stalls, so
   * a software renderer does not count.
   */
  let webglChecked = null
  function webglAvailable() {
    if (webglChecked !== null) return webglChecked
    webglChecked = false
    try {
      const gl = document.createElement('canvas').getContext('webgl2')
      if (gl) {
        const info = gl.getExtension('WEBGL_debug_renderer_info')
        const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : ''
        webglChecked = !!renderer && !/swiftshader|llvmpipe|software|basic render/i.test(renderer)
        gl.getExtension('WEBGL_lose_context')?.loseContext()
      }
    } catch {
      webglChecked = false
    }
    return webglChecked
  }

  /** Cytoscape with options for the size of the view: large views trade detail while moving for speed. */
  function ensureCy(count) {
    const large = count >= LARGE
    const webgl = count >= WEBGL_FROM && webglAvailable()
    const mode = webgl ? 'webgl' : large ? 'large' : 'small'
    if (cy && mode === renderMode) return
    if (cy) cy.destroy()
    renderMode = mode
    container.dataset.renderer = mode
    const options = {
      container,
      style: style(large),
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
      selectionType: 'single',
      hideEdgesOnViewport: large,
      textureOnViewport: large && !webgl,
      motionBlur: false,
      pixelRatio: large ? 1 : 'auto',
    }
    if (webgl) options.renderer = { name: 'canvas', webgl: true }
    cy = cytoscape(options)
    cy.on('tap', 'node', (e) => {
      const n = e.target
      if (n.data('type') === 'cluster') expandCluster(n.id())
      else selectNode(n.id(), { center: false })
    })
    cy.on('tap', 'edge', (e) => showEdge(e.target))
    cy.on('tap', (e) => {
      if (e.target === cy) closePanel()
    })
    cy.on('viewport', showLabels)
    cy.on('dragfree', 'node', (e) => {
      if (lastLayout === 'fcose') positions.set(e.target.id(), { ...e.target.position() })
    })
  }

  function classesOf(n) {
    const out = []
    if (island && n.id === island.focus) out.push('focus')
    if (n.match === false) out.push('dim')
    if (n.plan === 'reached') out.push('reached')
    if (n.plan === 'not_reached') out.push('not-reached')
    if (n.change === 'added') out.push('added')
    if (n.change === 'removed') out.push('removed')
    return out.join(' ')
  }

  function elementsOf(view) {
    const look = looks(view.nodes)
    const nodes = view.nodes.map((n) => ({
      group: 'nodes',
      data: {
        id: n.id,
        label: n.label,
        // An organisation standing for its people says how many (people=fold, the default).
        display: n.people ? fill(words().peopleBadge, { name: n.label, n: n.people }) : n.label,
        people: n.people || 0,
        type: n.type,
        degree: n.degree || 0,
        betweenness: n.betweenness || 0,
        community: n.community,
        plan: n.plan || '',
        // Protected identity or restricted: shown to this reader, but never named in a file.
        priv: n.private === true,
        shape: SHAPES[n.type] || 'ellipse',
        count: n.size || 0,
        ...look(n),
      },
      classes: classesOf(n),
      // In a large view a drag anywhere moves the view (with edges hidden and a texture while it
      // moves); single nodes are not dragged about.
      pannable: renderMode !== 'small',
    }))
    const edges = view.edges.map((e) => ({
      group: 'edges',
      data: { id: e.id, source: e.source, target: e.target, type: e.type, weight: e.weight || 1, w: Math.min(6, 1 + Math.log2(e.weight || 1)) },
      classes: [e.match === false ? 'dim' : '', e.change === 'gained' ? 'gained' : '', e.change === 'lost' ? 'lost' : ''].join(' ').trim(),
    }))
    return nodes.concat(edges)
  }

  /** Colour and size from the chosen measure and colouring, as data the style reads (set when the elements are made). */
  function looks(nodes) {
    const measure = settings.size === 'degree' || settings.size === 'betweenness' ? settings.size : null
    let max = 0
    let maxCount = 0
    for (const n of nodes) {
      if (measure) max = Math.max(max, n[measure] || 0)
      maxCount = Math.max(maxCount, n.size || 0)
    }
    const community = settings.communityColours || {}
    const palette = new Map()
    const colour = (name) => {
      if (!palette.has(name)) palette.set(name, colourVar(name))
      return palette.get(name)
    }
    return (n) => {
      let size = 20
      if (n.type === 'cluster') size = 30 + 60 * Math.sqrt(maxCount ? (n.size || 0) / maxCount : 0)
      else if (measure && max > 0) size = 12 + 40 * Math.sqrt((n[measure] || 0) / max)
      let c
      if (settings.colour === 'community') c = community[String(n.community)] !== undefined ? colour('c-' + community[String(n.community)]) : colour('neutral')
      else if (settings.colour === 'plan') c = n.plan === 'reached' ? colour('reached') : n.plan === 'not_reached' ? colour('not-reached') : colour('neutral')
      else if (n.type === 'cluster') c = colour('cluster')
      else c = colour(SHAPES[n.type] ? n.type : 'neutral')
      return { s: size, c }
    }
  }

  // --- layout ---------------------------------------------------------------------------

  const TYPE_ORDER = ['organisation', 'contact', 'alliance', 'project', 'body', 'theme', 'cluster']
  const collator = new Intl.Collator(document.documentElement.lang || 'sv')

  function measureOf(n) {
    return settings.size === 'betweenness' ? n.data('betweenness') : n.data('degree')
  }

  /** Where a node new to the view starts: beside the placed nodes it links to (`known`), else below them. */
  function seedPosition(n, placedBox, known = positions) {
    const near = n.neighborhood('node').filter((m) => known.has(m.id()))
    const jitter = () => (Math.random() - 0.5) * 40
    if (near.length) {
      let x = 0
      let y = 0
      near.forEach((m) => {
        const p = known.get(m.id())
        x += p.x
        y += p.y
      })
      return { x: x / near.length + jitter(), y: y / near.length + jitter() }
    }
    return { x: placedBox.x1 + Math.random() * Math.max(placedBox.w, 100), y: placedBox.y2 + 40 + Math.random() * 80 }
  }

  function layoutFor(name, nodes) {
    const common = { animate: false, fit: false, padding: 30 }
    if (name === 'concentric') {
      let max = 0
      nodes.forEach((n) => (max = Math.max(max, measureOf(n))))
      return { ...common, name: 'concentric', concentric: (n) => measureOf(n), levelWidth: () => Math.max(max / 8, 1e-9), minNodeSpacing: 6, avoidOverlap: nodes.length < 1500 }
    }
    if (name === 'grid') {
      const rank = (n) => TYPE_ORDER.indexOf(n.data('type'))
      return { ...common, name: 'grid', avoidOverlap: nodes.length < 1500, condense: true, sort: (a, b) => rank(a) - rank(b) || collator.compare(a.data('label'), b.data('label')) }
    }
    const count = nodes.length
    // Groups (a clustered view) are large and linked nearly all to all: edges as long as the two
    // groups are wide and a stronger push, or the springs draw them on top of one another.
    const grouped = nodes.some((n) => n.data('type') === 'cluster')
    const fcose = {
      ...common,
      name: 'fcose',
      quality: count > 1500 ? 'draft' : 'default',
      randomize: true,
      nodeRepulsion: () => (grouped ? 60000 : 6000),
      idealEdgeLength: grouped ? (e) => 40 + 1.5 * ((e.source().data('s') || 20) + (e.target().data('s') || 20)) : () => 60,
      numIter: count > 1500 ? 1000 : 2500,
      tile: true,
    }
    const unplaced = nodes.filter((n) => !positions.has(n.id()))
    if (unplaced.length === count) return fcose
    const placed = nodes.not(unplaced)
    placed.positions((n) => ({ ...positions.get(n.id()) }))
    if (unplaced.length === 0) return { ...common, name: 'preset' }
    const box = placed.boundingBox()
    unplaced.positions((n) => seedPosition(n, box))
    return {
      ...fcose,
      randomize: false,
      quality: 'default',
      fixedNodeConstraint: placed.length <= PIN_LIMIT ? placed.map((n) => ({ nodeId: n.id(), position: { ...positions.get(n.id()) } })) : undefined,
    }
  }

  /**
   * cy.fit() measures every element (styles, labels) first: over half a second for 2 000 nodes.
   * The node centres are known, so the viewport is set from them, with room for the largest node.
   */
  function fitPositions() {
    const nodes = cy.nodes()
    if (nodes.length === 0) return
    let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity, r = 0
    nodes.forEach((n) => {
      const p = n.position()
      if (p.x < x1) x1 = p.x
      if (p.x > x2) x2 = p.x
      if (p.y < y1) y1 = p.y
      if (p.y > y2) y2 = p.y
      r = Math.max(r, n.data('s') || 20)
    })
    const pad = 30
    const w = Math.max(container.clientWidth - 2 * pad, 1)
    const h = Math.max(container.clientHeight - 2 * pad, 1)
    const bw = x2 - x1 + r
    const bh = y2 - y1 + r
    const fits = Math.min(w / bw, h / bh)
    // The server's places of a whole register span tens of thousands of units: on a phone the least
    // zoom cut most of them off. It gives way to what fits (and stays there for zooming out).
    if (fits < cy.minZoom()) cy.minZoom(fits)
    // A few nodes are not blown up to fill the screen (names the size of headings).
    const zoom = Math.min(1.5, cy.maxZoom(), Math.max(cy.minZoom(), fits))
    cy.viewport({ zoom, pan: { x: container.clientWidth / 2 - zoom * (x1 + x2) / 2, y: container.clientHeight / 2 - zoom * (y1 + y2) / 2 } })
  }

  const hasPlace = (n) => Number.isFinite(n.x) && Number.isFinite(n.y)

  /** The box around these points, in the shape seedPosition reads. */
  function boxOf(points) {
    let x1 = Infinity, x2 = -Infinity, y2 = -Infinity
    for (const p of points) {
      x1 = Math.min(x1, p.x)
      x2 = Math.max(x2, p.x)
      y2 = Math.max(y2, p.y)
    }
    return x1 <= x2 ? { x1, y2, w: x2 - x1 } : { x1: 0, y2: 0, w: 0 }
  }

  function runLayout({ fit }) {
    const run = ++layoutRun
    delete container.dataset.layoutDone
    container.setAttribute('aria-busy', 'true')
    const nodes = cy.nodes()
    // A saved view's own positions come before the server's.
    // The server's places, also when some nodes have none (added since they were computed): when
    // they are most of the view (PREVIOUS_COVERS in src/network/layout.ts).
    const serverPlaced = !savedPlaced && nodes.length > 0 && island.nodes.filter(hasPlace).length >= 0.8 * island.nodes.length
    const name = serverPlaced ? 'server' : settings.layout || 'fcose'
    const finish = () => {
      if (run !== layoutRun) return
      if (name === 'fcose') nodes.forEach((n) => positions.set(n.id(), { ...n.position() }))
      if (fit || name !== lastLayout) fitPositions()
      showLabels(true)
      lastLayout = name
      container.setAttribute('aria-busy', 'false')
      container.dataset.nodeCount = String(cy.nodes().length)
      container.dataset.edgeCount = String(cy.edges().length)
      // Said once a frame with the laid-out graph has been drawn (the renderer paints on animation frames).
      requestAnimationFrame(() => {
        requestAnimationFrame(() => {
          if (run !== layoutRun) return
          container.dataset.tDone = String(Math.round(performance.now()))
          container.dataset.layoutDone = String(run)
        })
      })
      announce(fill(words().shown, { nodes: cy.nodes().length, edges: cy.edges().length }))
      if (settings.select) {
        const id = settings.select
        settings.select = null
        selectNode(id, { center: true })
      }
    }
    if (nodes.length === 0) return finish()
    let options
    if (serverPlaced) {
      const at = new Map(island.nodes.filter(hasPlace).map((n) => [n.id, { x: n.x, y: n.y }]))
      // Positions from before the latest change (layout `server_previous`): the nodes added since
      // go beside the placed nodes they link to, and the picture stays as it was.
      if (at.size < nodes.length) {
        const box = boxOf(at.values())
        // Breadth first, as the server does (keepPlaces): a node linked only to other new nodes after them.
        const unplaced = nodes.filter((n) => !at.has(n.id()))
        let round = unplaced.filter((n) => n.neighborhood('node').some((m) => at.has(m.id())))
        const queued = new Set(round.map((n) => n.id()))
        while (round.length > 0) {
          round.forEach((n) => at.set(n.id(), seedPosition(n, box, at)))
          const next = []
          for (const n of round) {
            n.neighborhood('node').forEach((m) => {
              if (at.has(m.id()) || queued.has(m.id())) return
              queued.add(m.id())
              next.push(m)
            })
          }
          round = next
        }
        // Linked to nothing placed: below the others.
        unplaced.filter((n) => !at.has(n.id())).forEach((n) => at.set(n.id(), seedPosition(n, box, at)))
      }
      options = { name: 'preset', positions: (n) => at.get(n.id()), animate: false, fit: false }
    } else options = layoutFor(name, nodes)
    // In the same task as adding the elements: nothing is painted before the nodes have their places.
    const started = performance.now()
    container.dataset.tLayout = String(Math.round(started))
    const layout = cy.layout(options)
    layout.one('layoutstop', () => {
      // How long the layout took, for the benchmark (bench/network-browser.bench.ts).
      container.dataset.layoutMs = String(Math.round(performance.now() - started))
      finish()
    })
    layout.run()
  }

  // --- one view ---------------------------------------------------------------------------

  function load() {
    const el = document.getElementById('network-data')
    if (!el || el === island?.element) return
    // Times since navigation start, read by the benchmark (bench/network-browser.bench.ts).
    const mark = (k) => (container.dataset['t' + k] = String(Math.round(performance.now())))
    mark('Load')
    const view = readJson('network-data') || { nodes: [], edges: [] }
    settings = readJson('network-settings') || { words: {} }
    foldedLetters = null
    // A saved view opened by its link: its nodes go where they lay when it was saved.
    savedPlaced = false
    if (settings.positions && typeof settings.positions === 'object' && !island) {
      for (const [id, p] of Object.entries(settings.positions)) {
        if (p && Number.isFinite(p.x) && Number.isFinite(p.y)) positions.set(id, { x: p.x, y: p.y })
      }
      savedPlaced = true
    }
    if (pendingSelect) {
      settings.select = pendingSelect
      pendingSelect = null
    }
    const previous = island
    island = { element: el, nodes: view.nodes || [], edges: view.edges || [], focus: (view.meta && view.meta.focus) || null }
    ensureCy(island.nodes.length)
    const before = new Set(previous ? previous.nodes.map((n) => n.id) : [])
    const fresh = island.nodes.filter((n) => !before.has(n.id)).length
    cy.batch(() => {
      cy.elements().remove()
      cy.add(elementsOf(island))
    })
    mark('Added')
    fillNames()
    const png = document.getElementById('network-png')
    if (png) png.hidden = false
    runLayout({ fit: !previous || fresh > island.nodes.length / 2 })
  }

  // --- selection and the side panel -------------------------------------------------------

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild)
  }

  function el(tag, text, attrs) {
    const e = document.createElement(tag)
    if (text !== undefined && text !== null) e.textContent = String(text)
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v)
    return e
  }

  function facts(rows) {
    const dl = el('dl', null, { class: 'facts' })
    for (const [k, v] of rows) {
      dl.append(el('dt', k), el('dd', v))
    }
    return dl
  }

  function selectNode(id, { center }) {
    const n = cy && cy.getElementById(id)
    if (!n || n.empty()) return false
    cy.elements(':selected').unselect()
    n.select()
    if (center) {
      cy.zoom({ level: Math.max(cy.zoom(), 1), renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } })
      cy.center(n)
    }
    container.dataset.selected = id
    showLabels()
    showNode(n)
    return true
  }

  /** A group by the name of its most central member (the legend's), else its number. */
  function groupName(c) {
    if (c === undefined || c < 0) return '–'
    const name = (settings.communityNames || {})[String(c)]
    return name || String(c + 1)
  }

  function openPanel() {
    if (panel) panel.hidden = false
  }

  function closePanel() {
    if (panel) panel.hidden = true
    if (cy) cy.elements(':selected').unselect()
    delete container.dataset.selected
  }

  function showNode(n) {
    const w = words()
    clear(selection)
    clear(card)
    openPanel()
    const type = n.data('type')
    selection.append(el('h3', n.data('label')))
    const rows = [
      [w.degree, n.data('degree')],
      [w.betweenness, Number(n.data('betweenness')).toLocaleString(document.documentElement.lang, { maximumFractionDigits: 3 })],
      [w.community, groupName(n.data('community'))],
    ]
    if (n.data('people')) rows.push([w.people, n.data('people')])
    selection.append(el('p', (w.types && w.types[type]) || type, { class: 'muted' }), facts(rows))
    const actions = el('div', null, { class: 'actions' })
    const href = recordHref(type, n.id())
    if (href) actions.append(el('a', w.openRecord, { href, class: 'button small' }))
    if (UUID.test(n.id()) && type !== 'cluster') {
      const focus = el('button', w.focusHere, { type: 'button', class: 'button small', 'data-focus-node': n.id() })
      actions.append(focus)
    }
    if (n.data('people') && form) {
      actions.append(el('button', fill(w.unfold, { n: n.data('people') }), { type: 'button', class: 'button small', 'data-unfold-node': n.id() }))
    }
    selection.append(actions)
    if (href && window.htmx) {
      window.htmx.ajax('GET', `/network/card/${encodeURIComponent(type)}/${encodeURIComponent(n.id())}`, { target: '#network-card', swap: 'innerHTML' })
    }
  }

  function showEdge(e) {
    const w = words()
    clear(selection)
    clear(card)
    openPanel()
    cy.elements(':selected').unselect()
    e.select()
    delete container.dataset.selected
    const type = e.data('type')
    selection.append(
      el('h3', w.edge),
      el('p', `${e.source().data('label')} – ${e.target().data('label')}`),
      facts([[w.edge, (w.edgeTypes && w.edgeTypes[type]) || type], [w.weight, e.data('weight')]]),
    )
    // Links between collapsed groups stand for many edges: open the groups to see them.
    if (type === 'aggregate') return
    const wait = el('p', w.edgeLoading, { class: 'muted' })
    card.append(wait)
    fetch(`/api/v1/network/edges/${encodeURIComponent(e.id())}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then((res) => (res.ok ? res.json() : Promise.reject(new Error(String(res.status)))))
      .then((explanation) => {
        if (!e.selected()) return
        clear(card)
        card.append(explainEdge(explanation))
      })
      .catch(() => {
        if (!e.selected()) return
        clear(card)
        card.append(el('p', w.edgeFailed))
      })
  }

  /** The explanation of an edge: its sentence, then the records behind it as links to their pages. */
  function explainEdge(x) {
    const w = words()
    const box = el('div')
    box.append(el('h3', w.edgeBecause))
    const text = x && (x.explanation || x.description || x.summary)
    if (text) box.append(el('p', text))
    const lists = []
    for (const [key, value] of Object.entries(x || {})) {
      if (Array.isArray(value) && value.length && typeof value[0] === 'object') lists.push([key, value])
    }
    for (const [, items] of lists) {
      const ul = el('ul', null, { class: 'plain' })
      for (const item of items) {
        const label = item.label || item.title || item.name || item.id
        const li = el('li')
        const href = typeof item.href === 'string' && item.href.startsWith('/') && !item.href.startsWith('//') ? item.href : item.type && item.id ? recordHref(item.type, item.id) || (item.type === 'activity' && UUID.test(item.id) ? '/activities/' + item.id : null) : null
        li.append(href ? el('a', label, { href }) : el('span', label))
        const date = item.date || item.start_date
        if (date) li.append(el('span', ` (${date}${item.end_date ? '–' + item.end_date : ''})`, { class: 'muted' }))
        ul.append(li)
      }
      box.append(ul)
    }
    return box
  }

  function expandCluster(id) {
    if (!form) return
    const input = el('input', null, { type: 'hidden', name: 'expand', value: id, 'data-expand': '' })
    form.append(input)
    form.requestSubmit()
  }

  // --- search by name ---------------------------------------------------------------------

  function fillNames() {
    const list = document.getElementById('network-names')
    if (!list) return
    clear(list)
    if (island.nodes.length > 5000) return
    const seen = new Set()
    const frag = document.createDocumentFragment()
    for (const n of island.nodes) {
      if (n.type === 'cluster' || seen.has(n.label)) continue
      seen.add(n.label)
      const o = document.createElement('option')
      o.value = n.label
      frag.append(o)
    }
    list.append(frag)
  }

  function findNode(term) {
    const w = words()
    const needle = fold(term)
    if (!needle || !cy) return
    // Each label folded once, not again for every comparison of the sort.
    const rank = new Map()
    for (const n of cy.nodes()) {
      const label = fold(n.data('label'))
      if (label.includes(needle)) rank.set(n, label === needle ? 0 : label.startsWith(needle) ? 1 : 2)
    }
    const hits = [...rank.keys()].sort((a, b) => rank.get(a) - rank.get(b) || collator.compare(a.data('label'), b.data('label')))
    if (hits.length === 0) {
      announce(w.notFound)
      return
    }
    find = needle === find.term ? { term: needle, index: (find.index + 1) % hits.length } : { term: needle, index: 0 }
    const n = hits[find.index]
    selectNode(n.id(), { center: true })
    announce(hits.length > 1 ? fill(w.foundOf, { name: n.data('label'), n: find.index + 1, count: hits.length }) : fill(w.found, { name: n.data('label') }))
  }

  // --- wiring -------------------------------------------------------------------------------

  document.getElementById('network-find-form')?.addEventListener('submit', (event) => {
    event.preventDefault()
    findNode(document.getElementById('network-find').value)
  })

  container.addEventListener('keydown', (event) => {
    if (!cy) return
    const step = 80
    const centre = { x: container.clientWidth / 2, y: container.clientHeight / 2 }
    const keys = {
      ArrowLeft: () => cy.panBy({ x: step, y: 0 }),
      ArrowRight: () => cy.panBy({ x: -step, y: 0 }),
      ArrowUp: () => cy.panBy({ x: 0, y: step }),
      ArrowDown: () => cy.panBy({ x: 0, y: -step }),
      '+': () => cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: centre }),
      '=': () => cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: centre }),
      '-': () => cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: centre }),
      0: () => fitPositions(),
      Escape: () => closePanel(),
    }
    const action = keys[event.key]
    if (!action) return
    event.preventDefault()
    action()
  })

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null
    if (!target) return
    const link = target.closest('a[data-node]')
    if (link && cy && !event.ctrlKey && !event.metaKey && !event.shiftKey && selectNode(link.dataset.node, { center: true })) {
      event.preventDefault()
      announce(fill(words().found, { name: link.textContent }))
      return
    }
    const unfoldButton = target.closest('button[data-unfold-node]')
    if (unfoldButton && form) {
      form.append(el('input', null, { type: 'hidden', name: 'unfold', value: unfoldButton.dataset.unfoldNode, 'data-unfold': '' }))
      pendingSelect = unfoldButton.dataset.unfoldNode
      form.requestSubmit()
      return
    }
    const focusButton = target.closest('button[data-focus-node]')
    if (focusButton && form) {
      const id = focusButton.dataset.focusNode
      const input = document.getElementById('f-focus')
      input.value = id
      const node = cy.getElementById(id)
      const text = document.querySelector('#network-focus-text [data-focus-name]')
      if (text && node.nonempty()) text.textContent = fill(words().focusOn, { name: node.data('label') })
      const focusText = document.getElementById('network-focus-text')
      focusText?.removeAttribute('hidden')
      const group = focusText?.closest('details')
      if (group) group.open = true
      document.getElementById('network-focus-none')?.setAttribute('hidden', '')
      form.querySelectorAll('input[data-expand]').forEach((x) => x.remove())
      form.requestSubmit()
      return
    }
    if (target.closest('a[data-clear-focus]') && form) {
      event.preventDefault()
      document.getElementById('f-focus').value = ''
      document.getElementById('network-focus-text')?.setAttribute('hidden', '')
      document.getElementById('network-focus-none')?.removeAttribute('hidden')
      form.requestSubmit()
      return
    }
    if (target.closest('#network-png') && cy) exportPng()
    if (target.closest('#network-panel-close')) {
      closePanel()
      container.focus()
    }
    if (target.closest('#network-controls-toggle')) setControls(layoutBox?.classList.contains('controls-closed'))
  })

  /**
   * The picture of the view as a document: a title with the day (or the two days of a changes
   * view) and the summary above the graph, the legend below it — the legend's own entries and
   * colours, read from the page, so the picture and the page cannot disagree.
   */
  async function exportPng() {
    // A picture is a file that leaves the register: people with protected identity or restricted
    // processing stay unnamed in it, whoever makes it (issue 11).
    const unnamed = cy.nodes().filter((n) => n.data('priv'))
    const names = unnamed.map((n) => n.data('display'))
    unnamed.forEach((n) => { n.data('display', '') })
    let graph
    try {
      graph = cy.png({ output: 'blob', bg: '#ffffff', full: true, scale: 2, maxWidth: 3600, maxHeight: 3600 })
    } finally {
      unnamed.forEach((n, i) => { n.data('display', names[i]) })
    }
    const bitmap = await createImageBitmap(graph)
    const w = words()
    const title = w.pngTitle || document.title
    const meta = readJson('network-data')?.meta || {}
    const changes = document.getElementById('network-changes-h')
    const when = changes ? changes.textContent.trim() : fill(w.pngAt, { day: meta.at || '' })
    const summary = (document.getElementById('network-summary')?.textContent || '').trim()
    const legend = [...document.querySelectorAll('.network-legend .network-keys li')].map((li) => {
      const key = li.querySelector('svg')
      const shape = key && key.querySelector('line') ? 'line' : 'dot'
      const style = key ? getComputedStyle(shape === 'line' ? key.querySelector('line') : key) : null
      return { text: li.textContent.trim().replace(/\s+/g, ' '), colour: style ? (shape === 'line' ? style.stroke : style.fill) : '#888', shape }
    })
    const width = Math.max(bitmap.width, 1200)
    const pad = 32
    const font = 'system-ui, sans-serif'
    const measure = document.createElement('canvas').getContext('2d')
    measure.font = `24px ${font}`
    // The legend in columns of at most a third of the width.
    const colWidth = Math.min(width - 2 * pad, Math.max(260, ...legend.map((l) => measure.measureText(l.text).width + 48)))
    const cols = Math.max(1, Math.floor((width - 2 * pad) / colWidth))
    const legendRows = Math.ceil(legend.length / cols)
    const head = 150
    const foot = legend.length ? 70 + legendRows * 38 : 20
    const canvas = document.createElement('canvas')
    canvas.width = width
    canvas.height = head + bitmap.height + foot
    const ctx = canvas.getContext('2d')
    ctx.fillStyle = '#ffffff'
    ctx.fillRect(0, 0, canvas.width, canvas.height)
    ctx.fillStyle = '#1b1f24'
    ctx.textBaseline = 'top'
    ctx.font = `bold 40px ${font}`
    ctx.fillText(title, pad, 24)
    ctx.font = `26px ${font}`
    ctx.fillText(when, pad, 76)
    ctx.font = `22px ${font}`
    ctx.fillStyle = '#4a525c'
    ctx.fillText(summary, pad, 112, width - 2 * pad)
    ctx.drawImage(bitmap, Math.round((width - bitmap.width) / 2), head)
    if (legend.length) {
      const top = head + bitmap.height + 20
      ctx.fillStyle = '#1b1f24'
      ctx.font = `bold 24px ${font}`
      ctx.fillText(w.legend || '', pad, top)
      ctx.font = `22px ${font}`
      legend.forEach((l, i) => {
        const x = pad + (i % cols) * colWidth
        const y = top + 40 + Math.floor(i / cols) * 38
        ctx.fillStyle = l.colour || '#888'
        ctx.strokeStyle = l.colour || '#888'
        if (l.shape === 'line') {
          ctx.lineWidth = 5
          ctx.beginPath()
          ctx.moveTo(x, y + 12)
          ctx.lineTo(x + 28, y + 12)
          ctx.stroke()
        } else {
          ctx.beginPath()
          ctx.arc(x + 12, y + 12, 11, 0, 2 * Math.PI)
          ctx.fill()
        }
        ctx.fillStyle = '#1b1f24'
        ctx.fillText(l.text, x + 38, y, colWidth - 44)
      })
    }
    container.dataset.pngLegend = String(legend.length)
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'))
    const url = URL.createObjectURL(blob)
    const a = el('a', null, { href: url, download: `natverk-${(meta.at || '').slice(0, 10) || 'vy'}.png` })
    document.body.append(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }

  // The slider moves a month at a time (the first of the month; the last step is today) and drives
  // the date field, the form's own value; the date field moves the slider. Years are marked below it.
  const slider = document.getElementById('network-at-slider')
  const dateField = document.getElementById('f-at')
  if (slider && dateField) {
    const parse = (s) => /^(\d{4})-(\d{2})-\d{2}$/.exec(String(s || ''))
    const first = parse(slider.dataset.first)
    const last = parse(slider.dataset.last)
    if (first && last) {
      const month0 = Number(first[1]) * 12 + Number(first[2]) - 1
      const steps = Number(last[1]) * 12 + Number(last[2]) - 1 - month0
      if (steps > 0) {
        const lang = document.documentElement.lang || 'sv'
        const monthName = new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' })
        const dayOf = (i) => {
          if (i >= steps) return slider.dataset.last
          const m = month0 + i
          return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`
        }
        const say = (day) => {
          const p = parse(day)
          const text = p ? monthName.format(Date.UTC(Number(p[1]), Number(p[2]) - 1, 1)) : day
          slider.setAttribute('aria-valuetext', text)
          if (shown) shown.textContent = text
        }
        slider.min = '0'
        slider.max = String(steps)
        slider.step = '1'
        const shown = document.getElementById('network-at-month')
        const sync = () => {
          const p = parse(dateField.value || slider.dataset.value)
          if (p) slider.value = String(Math.min(Math.max(Number(p[1]) * 12 + Number(p[2]) - 1 - month0, 0), steps))
          say(dateField.value || slider.dataset.value)
        }
        // Year marks: about six, evenly spread, at the Januaries they stand for.
        const years = document.getElementById('network-at-years')
        if (years) {
          clear(years)
          const y1 = Number(first[1])
          const y2 = Number(last[1])
          const every = Math.max(1, Math.ceil((y2 - y1 + 1) / 6))
          for (let y = y1; y <= y2; y += every) {
            const at = Math.max(0, y * 12 - month0)
            const mark = el('span', String(y))
            mark.style.left = `${(100 * at) / steps}%`
            years.append(mark)
          }
          years.hidden = false
        }
        sync()
        slider.hidden = false
        slider.addEventListener('input', () => {
          dateField.value = dayOf(Number(slider.value))
          say(dateField.value)
        })
        dateField.addEventListener('change', sync)
      }
    }
  }

  // Only the fields of the chosen time mode are shown.
  const modes = () => {
    const mode = form?.querySelector('input[name="mode"]:checked')?.value || 'at'
    form?.querySelectorAll('[data-mode]').forEach((x) => (x.hidden = x.dataset.mode !== mode))
  }
  form?.addEventListener('change', (event) => {
    if (event.target instanceof HTMLInputElement && event.target.name === 'mode') modes()
  })
  modes()

  // The page asking for the newest view (#network-refresh) while the choices change: its answer,
  // of the query before, would be swapped in over the new one's. It asks again 3 s later if still there.
  document.body.addEventListener('htmx:beforeRequest', (event) => {
    const poll = document.getElementById('network-refresh')
    if (poll && event.detail.elt !== poll && window.htmx) window.htmx.trigger(poll, 'htmx:abort')
  })

  // Asked for again, the view failed (the focus or the plan deleted since, the database gone):
  // the page as it now is, its error included, rather than the last view asked for every 3 s.
  document.body.addEventListener('htmx:responseError', (event) => {
    if (event.detail.elt && event.detail.elt.id === 'network-refresh') window.location.reload()
  })

  // The address of a view is meant to be shared: leave out empty fields and the defaults.
  const DEFAULTS = { view: 'graph', mode: 'at', size: 'degree', layout: 'fcose', cluster: 'auto' }
  const DEFAULT_TYPES = 'alliance,body,contact,organisation,project'
  document.body.addEventListener('htmx:configRequest', (event) => {
    if (event.detail.elt !== form) return
    const params = event.detail.parameters
    if (!params || typeof params.entries !== 'function') return
    const entries = [...params.entries()]
    const has = (k) => entries.some(([name, v]) => name === k && v !== '')
    const defaultTypes = entries.filter(([k]) => k === 'types').map(([, v]) => v).sort().join(',') === DEFAULT_TYPES
    const keep = entries.filter(([k, v]) => !(v === '' || DEFAULTS[k] === v || (k === 'types' && defaultTypes) || (k === 'depth' && !has('focus')) || (k === 'colour' && v === 'type' && !has('plan_id'))))
    for (const k of new Set(entries.map(([k]) => k))) params.delete(k)
    for (const [k, v] of keep) params.append(k, v)
  })
  // --- the screen: the graph fills the viewport below its top; the settings fold away -------

  const toggle = document.getElementById('network-controls-toggle')
  function fitStage() {
    const stage = document.getElementById('network-stage')
    if (!stage || !layoutBox) return
    const top = stage.getBoundingClientRect().top + window.scrollY
    layoutBox.style.setProperty('--net-h', Math.max(288, Math.floor(window.innerHeight - top - 12)) + 'px')
    if (cy) cy.resize()
  }
  function setControls(open, quiet) {
    if (!layoutBox || !toggle) return
    layoutBox.classList.toggle('controls-closed', !open)
    toggle.setAttribute('aria-expanded', String(open))
    fitStage()
    if (open && !quiet) document.getElementById('network-form')?.querySelector('input, select, summary')?.focus()
  }
  if (toggle && layoutBox) {
    toggle.hidden = false
    setControls(window.matchMedia('(min-width: 60rem)').matches, true)
  }
  fitStage()
  let resizeTimer = 0
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer)
    resizeTimer = setTimeout(fitStage, 100)
  })

  // Saving a view: the address (its filters, focus, day and drawing) and where every node lies now.
  document.addEventListener('submit', (event) => {
    const save = event.target instanceof HTMLFormElement && event.target.id === 'network-save-form' ? event.target : null
    if (!save) return
    const query = new URLSearchParams(window.location.search)
    query.delete('saved')
    save.elements.namedItem('query').value = query.toString()
    const at = {}
    if (cy && cy.nodes().length <= 20000) cy.nodes().forEach((n) => {
      const p = n.position()
      at[n.id()] = { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 }
    })
    save.elements.namedItem('positions').value = JSON.stringify(at)
  }, true)

  document.body.addEventListener('htmx:afterSettle', load)
  window.addEventListener('popstate', () => setTimeout(load, 0))
  load()
})()
