// The library lives in this browser (localStorage, no account): saved paper
// ids in order and a mark per paper ("more" or "less"). The library page is
// rendered by the server from its address (/library?ids=…&more=…&less=…), so
// this script keeps the address and the storage in step, and reveals the
// buttons that need storage.
const KEY = 'paperscope.library';

function load() {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (v && Array.isArray(v.ids) && v.marks && typeof v.marks === 'object') return v;
  } catch {}
  return { ids: [], marks: {} };
}

function store(lib) {
  localStorage.setItem(KEY, JSON.stringify(lib));
}

function href(lib) {
  const params = new URLSearchParams();
  const marked = (m) => lib.ids.filter((id) => lib.marks[id] === m).join(',');
  if (lib.ids.length) params.set('ids', lib.ids.join(','));
  if (marked('more')) params.set('more', marked('more'));
  if (marked('less')) params.set('less', marked('less'));
  return params.size ? `/library?${params}` : '/library';
}

function fromAddress() {
  const q = new URLSearchParams(location.search);
  const list = (name) => (q.get(name) ?? '').split(',').filter(Boolean);
  const lib = { ids: [], marks: {} };
  for (const id of [...list('ids'), ...list('more'), ...list('less')]) if (!lib.ids.includes(id)) lib.ids.push(id);
  for (const id of list('more')) lib.marks[id] = 'more';
  for (const id of list('less')) lib.marks[id] = 'less';
  return lib;
}

function showSaved(button, saved) {
  button.setAttribute('aria-pressed', String(saved));
  button.textContent = saved ? 'Saved' : 'Save';
}

// "Save" on every result and paper page.
for (const button of document.querySelectorAll('button.save')) {
  button.hidden = false;
  showSaved(button, load().ids.includes(button.dataset.id));
  button.addEventListener('click', () => {
    const lib = load();
    const id = button.dataset.id;
    const saved = lib.ids.includes(id);
    lib.ids = saved ? lib.ids.filter((x) => x !== id) : [...lib.ids, id];
    if (saved) delete lib.marks[id];
    store(lib);
    showSaved(button, !saved);
  });
}

// The library page: the address shows the stored library, unless it is a shared one.
if (location.pathname === '/library') {
  const mine = load();
  const shown = fromAddress();
  const isMine = href(shown) === href(mine);
  if (!location.search && mine.ids.length) location.replace(href(mine));
  else if (!isMine && shown.ids.length) {
    const note = document.querySelector('.shared-note');
    note.hidden = false;
    note.querySelector('.adopt').addEventListener('click', () => {
      for (const id of shown.ids) if (!mine.ids.includes(id)) mine.ids.push(id);
      Object.assign(mine.marks, shown.marks);
      store(mine);
      location.assign(href(mine));
    });
  } else {
    // Marks change the recommendations, which the server computes: store, then load the new address.
    const change = (edit) => () => {
      const lib = load();
      edit(lib);
      store(lib);
      location.assign(href(lib));
    };
    for (const group of document.querySelectorAll('.marks')) group.hidden = false;
    for (const button of document.querySelectorAll('button.mark')) {
      const { id, mark } = button.dataset;
      button.addEventListener('click', change((lib) => {
        if (lib.marks[id] === mark) delete lib.marks[id];
        else lib.marks[id] = mark;
      }));
    }
    for (const button of document.querySelectorAll('button.remove')) {
      const { id } = button.dataset;
      button.addEventListener('click', change((lib) => {
        lib.ids = lib.ids.filter((x) => x !== id);
        delete lib.marks[id];
      }));
    }
  }
  const share = document.querySelector('.share-link');
  share?.addEventListener('focus', () => share.select());
}
