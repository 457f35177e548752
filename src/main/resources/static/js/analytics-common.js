// What the analytics pages' scripts share: the browser's time zone, number formats, table cells, chart labels.
window.meshcpAnalytics = (function () {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const note = document.getElementById('zone-note');
  if (note) {
    note.textContent = 'Times in ' + zone;
  }
  return {
    zone,
    // The page's data as JSON, or null after showing why it could not be loaded (#load-error, when the page has one).
    async fetchData(url) {
      const failed = document.getElementById('load-error');
      let response;
      try {
        response = await fetch(url, {headers: {Accept: 'application/json'}});
      } catch (e) {
        response = null;
      }
      if (response && response.ok) {
        if (failed) {
          failed.hidden = true;
        }
        return response.json();
      }
      if (failed) {
        failed.textContent = 'The data could not be loaded' + (response ? ' (' + response.status + ')' : '') + '; try again in a moment.';
        failed.hidden = false;
      }
      return null;
    },
    percent: v => v == null ? '–' : (v * 100).toFixed(1) + ' %',
    bytes: v => {
      const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
      let i = 0;
      while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
      return v.toFixed(i === 0 ? 0 : 1) + ' ' + units[i];
    },
    cell(row, text) {
      const td = document.createElement('td');
      td.textContent = text;
      row.appendChild(td);
    },
    // A bucket's start as the chart's axis shows it: a date for days, else date and time.
    label(t, granularity) {
      const d = new Date(t);
      return granularity === 'day' ? d.toLocaleDateString() : d.toLocaleString([], {month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit'});
    }
  };
})();
