// Progressive enhancement for the concern form: save what is being typed every few seconds and when the
// tab is hidden or closed, to the same server-side draft the form's own steps save to.
const form = document.querySelector('form[data-autosave-key]');
if (form) {
  const key = form.dataset.autosaveKey;
  const token = form.querySelector('input[name="_csrf"]')?.value ?? '';
  const url = `/api/v1/drafts/${encodeURIComponent(key)}`;
  let submitting = false;
  let lastSent = '';

  const fields = () => {
    const out = {};
    for (const el of form.elements) {
      if (!el.name || el.name.startsWith('_') || el.type === 'submit') continue;
      if (el.type === 'checkbox') {
        out[el.name] ??= [];
        if (el.checked) out[el.name].push(el.value);
      } else if (el.type === 'radio') {
        if (el.checked) out[el.name] = el.value;
      } else {
        out[el.name] = el.value;
      }
    }
    return out;
  };

  const save = async (keepalive = false) => {
    if (submitting) return;
    const current = fields();
    const snapshot = JSON.stringify(current);
    if (snapshot === lastSent) return;
    try {
      // Only this page's fields: the server merges them into the draft, so answers saved from another tab
      // since this page was loaded are never overwritten with old copies.
      const response = await fetch(url, {
        method: 'PUT',
        keepalive,
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': token },
        body: JSON.stringify({ data: current }),
      });
      if (response.ok) {
        lastSent = snapshot;
        form.dispatchEvent(new CustomEvent('continuum:autosaved'));
      }
    } catch {
      // Offline or signed out: the next step's form post still saves everything.
    }
  };

  lastSent = JSON.stringify(fields());
  form.addEventListener('submit', () => { submitting = true; });
  setInterval(() => void save(), 5000);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void save(true);
  });
}
