// A commitment's status saved inline raised the alliance's version: every other form on the page
// that carries that alliance's version follows, so the next change is not refused as stale.
// (The server names the alliance and its new version in an HX-Trigger event.)
document.body.addEventListener('alliance-version', (event) => {
  const detail = event.detail || {}
  if (typeof detail.id !== 'string' || typeof detail.version !== 'number') return
  for (const input of document.querySelectorAll('input[data-alliance-version]')) {
    if (input.getAttribute('data-alliance-version') === detail.id) input.value = String(detail.version)
  }
})
