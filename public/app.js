// Progressive enhancement only: every journey works without this file.
import { initAll } from '/assets/govuk-frontend.min.js';

initAll();

// Warn two minutes before the inactivity timeout and let the user extend their session (WCAG 2.2.1).
const dialog = document.getElementById('timeout-warning');
if (dialog && typeof dialog.showModal === 'function') {
  const idleSeconds = Number(dialog.dataset.idleSeconds);
  const warnBefore = Math.min(120, Math.floor(idleSeconds / 2));
  let deadline = Date.now() + idleSeconds * 1000;
  let timer;
  const countdown = dialog.querySelector('[data-timeout-countdown]');
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(tick, Math.max(0, deadline - warnBefore * 1000 - Date.now()));
  };
  const tick = () => {
    const left = Math.round((deadline - Date.now()) / 1000);
    if (left <= 0) {
      window.location.href = '/sign-in?timedOut=1&returnTo=' + encodeURIComponent(location.pathname + location.search);
      return;
    }
    if (!dialog.open) dialog.showModal();
    const minutes = Math.floor(left / 60);
    countdown.textContent = minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${left} seconds`;
    timer = setTimeout(tick, minutes >= 1 ? 15000 : 1000);
  };
  dialog.querySelector('form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const response = await fetch(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(new FormData(form)),
    });
    if (response.ok) {
      const body = await response.json();
      deadline = Date.now() + body.idleSeconds * 1000;
      dialog.close();
      schedule();
    } else {
      form.submit();
    }
  });
  schedule();
}
