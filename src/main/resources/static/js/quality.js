// The battery and quality page: the p2p cohort against the holdout, in the browser's time zone.
(function () {
  const root = document.getElementById('quality');
  if (!root) {
    return;
  }
  const {zone, fetchData, percent, cell, label} = window.meshcpAnalytics;
  const points = v => v == null ? '–' : (v * 100).toFixed(1) + ' points';
  // Differences below a point get a second decimal: rebuffer ratios differ by hundredths of a point.
  const signed = (v, unit, scale) => (v >= 0 ? '+' : '−')
    + Math.abs(v * 100).toFixed(Math.abs((scale == null ? v : scale) * 100) < 1 ? 2 : 1) + unit;
  const charts = {};

  function cohortOf(rows, group, cohort) {
    return rows.find(r => r.group === group && r.cohort === cohort);
  }

  // "p2p minus holdout" for one metric, with both values and their playback hours, or why there is none.
  function compare(rows, group, metric, valueId, detailId, unit, format) {
    const p2p = cohortOf(rows, group, 'p2p');
    const holdout = cohortOf(rows, group, 'holdout');
    const value = document.getElementById(valueId);
    const detail = document.getElementById(detailId);
    if (!p2p || !holdout || p2p.metrics[metric] == null || holdout.metrics[metric] == null) {
      value.textContent = '–';
      detail.textContent = !holdout ? 'no holdout playback in this range' : 'not reported in this range';
      return;
    }
    value.textContent = signed(p2p.metrics[metric] - holdout.metrics[metric], unit);
    detail.textContent = 'p2p ' + format(p2p.metrics[metric]) + ' (' + p2p.metrics.viewerHours.toFixed(1) + ' h), holdout '
      + format(holdout.metrics[metric]) + ' (' + holdout.metrics.viewerHours.toFixed(1) + ' h)';
  }

  // What the 95% interval of a difference says, in words, on the element (data-verdict for scripts and tests).
  function interval(id, difference, unit, what) {
    const el = document.getElementById(id);
    el.dataset.verdict = difference.verdict;
    if (difference.verdict === 'TOO_FEW_SESSIONS') {
      el.textContent = 'Too few sessions to tell: p2p ' + difference.p2pSessions + ', holdout ' + difference.holdoutSessions
        + ' (at least 30 each).';
      return;
    }
    const scale = Math.max(Math.abs(difference.low), Math.abs(difference.high));
    const range = '95% interval ' + signed(difference.low, '', scale) + ' to ' + signed(difference.high, unit, scale);
    el.textContent = range + ': ' + {
      P2P_WORSE: 'p2p ' + what + ', beyond chance.',
      P2P_BETTER: 'p2p does better, beyond chance.',
      NO_CLEAR_DIFFERENCE: 'no difference that chance cannot explain.'
    }[difference.verdict] + ' (' + difference.p2pSessions + ' and ' + difference.holdoutSessions + ' sessions)';
  }

  function table(id, rows) {
    const body = document.querySelector('#' + id + ' tbody');
    body.replaceChildren();
    for (const r of rows) {
      const row = document.createElement('tr');
      row.dataset.group = r.group;
      row.dataset.cohort = r.cohort;
      cell(row, r.group);
      cell(row, r.cohort);
      cell(row, r.metrics.viewerHours.toFixed(2));
      cell(row, points(r.metrics.batteryDrainPerHour));
      cell(row, percent(r.metrics.rebufferRatio));
      cell(row, percent(r.metrics.offload));
      body.appendChild(row);
    }
  }

  function draw(id, data, metric, title) {
    const byKey = new Map(data.byCohort.map(p => [p.t + ' ' + p.group, p]));
    const times = [...new Set(data.byCohort.map(p => p.t))].sort();
    const series = cohort => times.map(t => {
      const point = byKey.get(t + ' ' + cohort);
      return point && point.metrics[metric] != null ? 100 * point.metrics[metric] : null;
    });
    if (charts[id]) {
      charts[id].destroy();
    }
    charts[id] = new Chart(document.getElementById(id), {
      type: 'line',
      data: {labels: times.map(t => label(t, data.granularity)), datasets: [
        {label: 'p2p', data: series('p2p'), borderColor: '#2f7d5b', tension: 0.2, spanGaps: true},
        {label: 'holdout (CDN only)', data: series('holdout'), borderColor: '#b5651d', tension: 0.2, spanGaps: true}
      ]},
      options: {animation: false, maintainAspectRatio: false, interaction: {mode: 'index', intersect: false},
        scales: {y: {min: 0, title: {display: true, text: title}}}}
    });
  }

  async function load() {
    const hours = document.getElementById('range').value;
    const data = await fetchData(root.dataset.url + '?hours=' + hours + '&zone=' + encodeURIComponent(zone));
    if (!data) {
      return;
    }
    const empty = data.overall.length === 0;
    document.getElementById('no-data').hidden = !empty;
    document.getElementById('comparison').hidden = empty;
    if (!empty) {
      compare(data.byDevice, 'mobile', 'batteryDrainPerHour', 'battery-cost', 'battery-detail', ' points/h', points);
      compare(data.overall, null, 'rebufferRatio', 'rebuffer-cost', 'rebuffer-detail', ' points', percent);
      interval('battery-interval', data.holdoutMobile.batteryDrainPerHour, ' points/h', 'drains more battery');
      interval('rebuffer-interval', data.holdout.rebufferRatio, ' points', 'rebuffers more');
      draw('battery-chart', data, 'batteryDrainPerHour', 'Battery points per hour');
      draw('rebuffer-chart', data, 'rebufferRatio', 'Rebuffer ratio %');
      table('by-device', data.byDevice);
      table('by-network', data.byNetwork);
      table('by-nat', data.byNat);
      table('by-player', data.byPlayer);
      table('by-sdk', data.bySdk);
    }
    root.dataset.loaded = 'true';
  }

  document.getElementById('range').addEventListener('change', load);
  load();
})();
