// Threshold explorer enhancements. Everything here also works without JavaScript: the filter is a GET form
// that keeps ticks, and printing is the browser's own print command.

// The same normalisation as the server's search, so both filters agree.
const normalise = (s) =>
  s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[‘’‛`]/g, "'").replace(/[“”]/g, '"').replace(/[–—]/g, '-').toLowerCase();

const form = document.querySelector('[data-assess-form]');
const input = document.querySelector('[data-indicator-filter]');
const button = document.querySelector('[data-indicator-filter-button]');
const status = document.querySelector('[data-indicator-status]');

if (form && input && status) {
  const boxes = [...form.querySelectorAll('input[type="checkbox"][data-search]')];
  const total = status.textContent.match(/of (\d+)/)?.[1] ?? String(boxes.length);
  let timer;
  // GOV.UK styles set `display` on these elements, which would win over the hidden attribute alone.
  const hide = (el, hidden) => {
    el.hidden = hidden;
    el.style.display = hidden ? 'none' : '';
  };

  const apply = () => {
    const words = normalise(input.value).split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const box of boxes) {
      const match = words.every((w) => box.dataset.search.includes(w));
      // Ticked boxes stay in the form either way, so hiding one never loses it.
      hide(box.closest('.govuk-checkboxes__item'), !match);
      if (match) shown += 1;
    }
    for (const group of form.querySelectorAll('[data-indicator-group]')) {
      const any = [...group.querySelectorAll('.govuk-checkboxes__item')].some((item) => !item.hidden);
      hide(group.closest('.govuk-form-group'), !any);
    }
    const ticked = form.querySelectorAll('input[name="indicators"]:checked, input[type="hidden"][name="indicators"]').length;
    const query = input.value.trim();
    status.textContent = `Showing ${shown} of ${total} indicators${query ? ` containing “${query}”` : ''}. ${ticked} ticked.`;
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(apply, 150);
  });
  button?.addEventListener('click', (event) => {
    event.preventDefault();
    apply();
  });
  form.addEventListener('change', (event) => {
    if (event.target.name === 'indicators') apply();
  });
}

// Without JavaScript the browser's own print command does the same, so the button only exists with it.
const actions = document.querySelector('[data-print-actions]');
if (actions) {
  const print = document.createElement('button');
  print.type = 'button';
  print.className = 'govuk-button govuk-button--secondary';
  print.dataset.printPage = '';
  print.textContent = 'Print this page';
  print.addEventListener('click', () => window.print());
  actions.firstElementChild?.after(print);
}
