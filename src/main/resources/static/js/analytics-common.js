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
    // The same units as the server's pages (DisplayUnits): powers of 1000, as CDNs bill.
    bytes: v => {
      const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
      let i = 0;
      while (Math.abs(v) >= 1000 && i < units.length - 1) { v /= 1000; i++; }
      const digits = i === 0 ? 0 : v < 10 ? 2 : v < 100 ? 1 : 0;
      return new Intl.NumberFormat(undefined, {maximumFractionDigits: digits}).format(v) + ' ' + units[i];
    },
    // The unit a chart of byte counts up to max reads best in.
    byteScale: max => {
      const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
      let i = 0;
      while (max >= 1000 && i < units.length - 1) { max /= 1000; i++; }
      return {unit: units[i], divisor: Math.pow(1000, i)};
    },
    money: (v, currency) => v == null ? '–'
      : new Intl.NumberFormat(undefined, {style: 'currency', currency: currency || 'USD'}).format(Number(v)),
    viewers: v => v == null ? '–' : new Intl.NumberFormat(undefined, {maximumFractionDigits: 0}).format(Math.round(v)),
    cell(row, text) {
      const td = document.createElement('td');
      td.textContent = text;
      row.appendChild(td);
    },
    // A bucket's start as the chart's axis shows it, in the dashboard's one date format: a date for days, else
    // date and time.
    label(t, granularity) {
      return granularity === 'day' ? window.meshcpTime.date(t) : window.meshcpTime.dateTime(t);
    }
  };
})();
