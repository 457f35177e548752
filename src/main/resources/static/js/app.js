// Shows every <time data-local> in the viewer's own time zone; the server renders UTC.
function localiseTimes(root) {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  root.querySelectorAll('time[data-local]').forEach((el) => {
    const date = new Date(el.getAttribute('datetime'));
    if (!isNaN(date)) {
      el.textContent = format.format(date);
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

// Forms that need a second thought: <form data-confirm="...">.
document.addEventListener('submit', (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

document.addEventListener('DOMContentLoaded', () => localiseTimes(document));
document.addEventListener('htmx:afterSwap', (event) => localiseTimes(event.target));
