// What the analytics pages' scripts share: the browser's time zone, number formats, table cells, chart labels.
window.meshcpAnalytics = (function () {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const note = document.getElementById('zone-note');
  if (note) {
    note.textContent = 'Times in ' + zone;
  }
  return {
    zone,
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
