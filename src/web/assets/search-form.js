// The search form: blank filters stay out of the address, a change of mode or
// order searches at once, and a slow answer shows that it is coming.
const form = document.getElementById('search');
form?.addEventListener('submit', () => {
  for (const field of form.elements) if (field.name && field.value === '') field.disabled = true;
  const busy = document.querySelector('.busy');
  setTimeout(() => {
    document.body.classList.add('searching');
    if (busy) busy.textContent = 'Searching…';
  }, 200);
});
for (const select of document.querySelectorAll('select[form="search"]')) select.addEventListener('change', () => form.requestSubmit());
// Back from the next page (bfcache) must not leave the page looking busy or its fields disabled.
addEventListener('pageshow', () => {
  document.body.classList.remove('searching');
  const busy = document.querySelector('.busy');
  if (busy) busy.textContent = '';
  for (const field of form?.elements ?? []) field.disabled = false;
});
