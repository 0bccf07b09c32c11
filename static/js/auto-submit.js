// Double opt-in: the link in the e-mail opens a page; this submits its form at once, so a person
// with script confirms in one step while a link scanner (which runs no script) confirms nothing.
// Without script the form's button does the same.
document.querySelectorAll('form[data-auto-submit]').forEach(function (form) {
  if (form.dataset.submitted) return
  form.dataset.submitted = 'true'
  form.requestSubmit()
})
