// The overview's trend charts: the last day hour by hour, in the browser's time zone.
(function () {
  const root = document.getElementById('trend');
  if (!root) {
    return;
  }
  const {zone, fetchData, label, byteScale} = window.meshcpAnalytics;

  async function load() {
    const url = new URL(root.dataset.url, window.location.href);
    url.searchParams.set('zone', zone);
    const data = await fetchData(url.toString());
    if (!data) {
      return;
    }
    const labels = data.points.map(p => label(p.t, data.granularity));
    const metric = name => data.points.map(p => p.metrics[name]);
    new Chart(document.getElementById('trend-offload'), {
      type: 'line',
      data: {labels, datasets: [
        {label: 'Offload (%)', data: metric('offload').map(v => v == null ? null : 100 * v), yAxisID: 'y', borderColor: '#2f7d5b', tension: 0.2, spanGaps: true},
        {label: 'Viewers', data: metric('viewers'), yAxisID: 'y1', borderColor: '#3b6bd6', tension: 0.2}
      ]},
      options: {animation: false, maintainAspectRatio: false, interaction: {mode: 'index', intersect: false},
        scales: {y: {min: 0, max: 100, title: {display: true, text: 'Offload %'}},
          y1: {position: 'right', min: 0, grid: {drawOnChartArea: false}, title: {display: true, text: 'Viewers'}}}}
    });
    const scale = byteScale(Math.max(0, ...data.points.map(p => p.metrics.cdnBytes + p.metrics.p2pBytesDown)));
    const scaled = name => metric(name).map(v => v / scale.divisor);
    new Chart(document.getElementById('trend-bytes'), {
      type: 'bar',
      data: {labels, datasets: [
        {label: 'From peers (' + scale.unit + ')', data: scaled('p2pBytesDown'), backgroundColor: '#2f7d5b'},
        {label: 'From the CDN (' + scale.unit + ')', data: scaled('cdnBytes'), backgroundColor: '#b9c2cc'}
      ]},
      options: {animation: false, maintainAspectRatio: false, interaction: {mode: 'index', intersect: false},
        scales: {x: {stacked: true}, y: {stacked: true, min: 0, title: {display: true, text: scale.unit}}}}
    });
    root.dataset.points = String(data.points.length);
  }

  load();
})();
