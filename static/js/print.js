// Print buttons: a <button data-print hidden> opens the browser's print dialog. Hidden until this
// script runs (without it the button would do nothing; the browser's own Print still works).
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('button[data-print]') : null
  if (button) window.print()
})
for (const button of document.querySelectorAll('button[data-print][hidden]')) button.hidden = false
