// Runs a CSV import with fetch() and shows the progress the server streams back, one JSON line
// at a time ({"done","total"}, then {"report_url"} or {"error"}). Without this file the form
// posts normally, waits, and lands on the report.
document.addEventListener('submit', async (event) => {
  const form = event.target
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-import-run')) return
  // The "look again" button asks for the preview (GET): let it go.
  if (event.submitter && event.submitter.hasAttribute('formmethod')) return
  if (!window.fetch || !window.TextDecoderStream) return
  const box = document.getElementById('import-progress')
  const bar = document.getElementById('import-bar')
  const status = document.getElementById('import-status')
  const button = document.getElementById('import-run')
  if (!box || !(bar instanceof HTMLProgressElement) || !status || !(button instanceof HTMLButtonElement)) return
  event.preventDefault()
  const running = status.dataset.running || '{done} / {total}'
  const failed = status.dataset.failed || 'Error'
  button.disabled = true
  box.hidden = false
  const handle = (message) => {
    if (message.report_url) {
      window.location.assign(message.report_url)
      return true
    }
    if (message.error) throw new Error(message.error)
    bar.max = message.total || 1
    bar.value = message.done
    status.textContent = running.replace('{done}', message.done).replace('{total}', message.total)
    return false
  }
  try {
    const res = await fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { accept: 'application/x-ndjson' },
      credentials: 'same-origin',
    })
    if (!res.ok || !res.body || !(res.headers.get('content-type') || '').includes('ndjson')) throw new Error(failed)
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
    let buffer = ''
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += value
      let nl
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim()
        buffer = buffer.slice(nl + 1)
        if (!line) continue
        let message
        try {
          message = JSON.parse(line)
        } catch {
          throw new Error(failed)
        }
        if (handle(message)) return
      }
    }
    throw new Error(failed)
  } catch (err) {
    status.textContent = err instanceof Error && err.message ? err.message : failed
    button.disabled = false
  }
})
