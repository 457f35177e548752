// The analytics page: fetches its data in the browser's time zone and draws it.
(function () {
  const root = document.getElementById('analytics');
  if (!root) {
    return;
  }
  const {zone, fetchData, percent, bytes, money, viewers: wholeViewers, cell, label} = window.meshcpAnalytics;
  let chart;
  let concurrencyChart;
  const ms = v => v == null ? '–' : Math.round(v) + ' ms';

  async function load() {
    const hours = document.getElementById('range').value;
    const stream = root.dataset.stream ? '&streamId=' + encodeURIComponent(root.dataset.stream) : '';
    const query = '?hours=' + hours + '&zone=' + encodeURIComponent(zone) + stream;
    document.getElementById('series-csv').href = root.dataset.csvUrl + query;
    const data = await fetchData(root.dataset.url + query);
    if (!data) {
      return;
    }
    const empty = data.summary.total.events === 0;
    document.getElementById('no-data').hidden = !empty;
    document.getElementById('charts').hidden = empty;
    if (empty) {
      return;
    }
    const total = data.summary.total;
    root.querySelector('[data-metric=offload]').textContent = percent(total.offload);
    root.querySelector('[data-metric=bytesSaved]').textContent = bytes(total.bytesSaved);
    root.querySelector('[data-metric=moneySaved]').textContent = money(total.moneySaved, data.summary.currency);
    root.querySelector('[data-metric=peakViewers]').textContent = wholeViewers(data.summary.peakViewers);

    // Points come per bucket and cohort; offload is recomputed over both cohorts from the byte sums.
    const buckets = new Map();
    for (const point of data.byCohort) {
      const b = buckets.get(point.t) || {cdn: 0, p2p: 0, viewers: 0};
      b.cdn += point.metrics.cdnBytes;
      b.p2p += point.metrics.p2pBytesDown;
      b.viewers += point.metrics.viewers || 0;
      buckets.set(point.t, b);
    }
    const times = [...buckets.keys()].sort();
    const labels = times.map(t => label(t, data.granularity));
    const offload = times.map(t => { const b = buckets.get(t); return b.cdn + b.p2p === 0 ? null : 100 * b.p2p / (b.cdn + b.p2p); });
    const viewers = times.map(t => buckets.get(t).viewers);
    if (chart) {
      chart.destroy();
    }
    chart = new Chart(document.getElementById('offload-chart'), {
      type: 'line',
      data: {labels, datasets: [
        {label: 'Offload (%)', data: offload, yAxisID: 'y', borderColor: '#2f7d5b', tension: 0.2, spanGaps: true},
        {label: 'Viewers', data: viewers, yAxisID: 'y1', borderColor: '#3b6bd6', tension: 0.2}
      ]},
      options: {animation: false, maintainAspectRatio: false, interaction: {mode: 'index', intersect: false},
        scales: {y: {min: 0, max: 100, title: {display: true, text: 'Offload %'}},
          y1: {position: 'right', min: 0, grid: {drawOnChartArea: false}, title: {display: true, text: 'Viewers'}}}}
    });

    const cohorts = document.querySelector('#cohorts tbody');
    cohorts.replaceChildren();
    for (const [name, m] of Object.entries(data.summary.cohorts)) {
      const row = document.createElement('tr');
      row.dataset.cohort = name;
      cell(row, name);
      cell(row, m.viewerHours.toFixed(2));
      cell(row, percent(m.rebufferRatio));
      cell(row, m.batteryDrainPerHour == null ? '–' : (m.batteryDrainPerHour * 100).toFixed(1) + ' points');
      cell(row, percent(m.offload));
      cohorts.appendChild(row);
    }
    if (concurrencyChart) {
      concurrencyChart.destroy();
    }
    concurrencyChart = new Chart(document.getElementById('concurrency-chart'), {
      type: 'bar',
      data: {labels: data.concurrency.map(b => b.maxViewers == null ? b.minViewers + '+' : b.minViewers + '–' + (b.maxViewers - 1)),
        datasets: [{label: 'Offload (%)', data: data.concurrency.map(b => b.offload == null ? null : 100 * b.offload), backgroundColor: '#2f7d5b'}]},
      options: {animation: false, maintainAspectRatio: false, scales: {y: {min: 0, max: 100, title: {display: true, text: 'Offload %'}},
        x: {title: {display: true, text: 'Concurrent viewers of the stream'}}}}
    });

    const events = document.querySelector('#live-events tbody');
    events.replaceChildren();
    document.getElementById('no-live-events').hidden = data.liveEvents.length > 0;
    for (const e of data.liveEvents) {
      const row = document.createElement('tr');
      row.dataset.event = e.name;
      cell(row, e.name + ' (' + window.meshcpTime.dateTime(e.startsAt) + ')');
      cell(row, ms(e.latencyBudgetMs));
      cell(row, ms(e.before.avgLatencyMs) + ' → ' + ms(e.during.avgLatencyMs));
      cell(row, percent(e.before.offload) + ' → ' + percent(e.during.offload));
      cell(row, wholeViewers(e.peakViewers));
      events.appendChild(row);
    }

    const reasons = document.querySelector('#reasons tbody');
    reasons.replaceChildren();
    for (const r of data.reasons) {
      const row = document.createElement('tr');
      row.dataset.reason = r.reason;
      cell(row, r.reason);
      cell(row, r.viewerHours.toFixed(2));
      cell(row, percent(r.share));
      reasons.appendChild(row);
    }
    root.dataset.loaded = 'true';
  }

  document.getElementById('range').addEventListener('change', load);
  load();
})();
