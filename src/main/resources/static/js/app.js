// The dashboard's one date format, in the viewer's own time zone and locale: "7 Dec 2026, 14:05" (the server
// renders UTC; pages and charts all format through these).
window.meshcpTime = (function () {
  const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
  return {
    dateTime: (t) => dateTime.format(new Date(t)),
    date: (t) => date.format(new Date(t)),
  };
})();

// Shows every <time data-local> in that format; <time data-local="date"> shows the date alone.
function localiseTimes(root) {
  root.querySelectorAll('time[data-local]').forEach((el) => {
    const date = new Date(el.getAttribute('datetime'));
    if (!isNaN(date)) {
      el.textContent = el.dataset.local === 'date' ? window.meshcpTime.date(date) : window.meshcpTime.dateTime(date);
      el.title = el.getAttribute('datetime');
    }
  });
}

// Copy buttons: <button data-copy="#id"> copies the text of the element it names.
document.addEventListener('click', async (event) => {
  const button = event.target.closest('[data-copy]');
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source) return;
  try {
    await navigator.clipboard.writeText(source.textContent.trim());
    button.textContent = 'Copied';
  } catch (e) {
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    button.textContent = 'Press Ctrl+C';
  }
});

// Forms that need a second thought: <form data-confirm="...">, and with data-confirm-when="field=value" only
// when that field has that value (a key rotation that stops the old key now, say).
document.addEventListener('submit', (event) => {
  const form = event.target;
  const message = form.dataset.confirm;
  if (!message) return;
  const when = form.dataset.confirmWhen;
  if (when) {
    const [name, value] = when.split('=');
    if (new FormData(form).get(name) !== value) return;
  }
  if (!window.confirm(message)) event.preventDefault();
});

// <input type="datetime-local" data-utc="name"> is the viewer's local time; the server takes instants,
// so the hidden field of that name gets the ISO-8601 UTC form before the form is sent. A form shown again
// (refused, or to edit an event) has the instants in its hidden fields: they fill the local inputs.
function fillLocalTimes(root) {
  root.querySelectorAll('form[data-local-times] input[data-utc]').forEach((input) => {
    const source = input.form.querySelector(`input[type=hidden][name="${input.dataset.utc}"]`);
    const date = source && source.value ? new Date(source.value) : null;
    if (input.value || !date || isNaN(date)) return;
    const local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
    input.value = local.toISOString().slice(0, 16);
  });
}

document.addEventListener('submit', (event) => {
  if (!('localTimes' in event.target.dataset)) return;
  event.target.querySelectorAll('input[data-utc]').forEach((input) => {
    const target = event.target.querySelector(`input[type=hidden][name="${input.dataset.utc}"]`);
    if (target && input.value) target.value = new Date(input.value).toISOString();
  });
});

// <select data-autosubmit> sends its form as soon as a choice is made (the overview's period and stream).
document.addEventListener('change', (event) => {
  if (event.target.matches('select[data-autosubmit]')) event.target.form.requestSubmit();
});

// The integration page's key field fills every snippet as the user types.
document.addEventListener('input', (event) => {
  if (event.target.id !== 'key-input') return;
  const key = event.target.value.trim() || 'mesh_pk_YOUR_PUBLISHABLE_KEY';
  document.querySelectorAll('.key-slot').forEach((slot) => { slot.textContent = key; });
});

// Policy forms (the editor, live events): changing a value overrides it, so its "override" box is ticked for the user.
['input', 'change'].forEach((type) => document.addEventListener(type, (event) => {
  const name = event.target.name;
  if (!name || !name.startsWith('value.') || !event.target.closest('[data-policy-form]')) return;
  const box = event.target.form.querySelector(`input[type=checkbox][name="set.${name.slice(6)}"]`);
  if (box) box.checked = true;
}));

document.addEventListener('DOMContentLoaded', () => {
  localiseTimes(document);
  fillLocalTimes(document);
});
document.addEventListener('htmx:afterSwap', (event) => localiseTimes(event.target));
