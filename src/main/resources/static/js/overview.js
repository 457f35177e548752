// The overview's trend charts: the last day hour by hour, in the browser's time zone.
(function () {
  const root = document.getElementById('trend');
  if (!root) {
    return;
  }
  const {zone, fetchData, label} = window.meshcpAnalytics;

  async function load() {
    const data = await fetchData(root.dataset.url + '?zone=' + encodeURIComponent(zone));
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
      options: {animation: false, interaction: {mode: 'index', intersect: false},
        scales: {y: {min: 0, max: 100, title: {display: true, text: 'Offload %'}},
          y1: {position: 'right', min: 0, grid: {drawOnChartArea: false}, title: {display: true, text: 'Viewers'}}}}
    });
    const gigabytes = name => metric(name).map(v => v / 1e9);
    new Chart(document.getElementById('trend-bytes'), {
      type: 'bar',
      data: {labels, datasets: [
        {label: 'From peers (GB)', data: gigabytes('p2pBytesDown'), backgroundColor: '#2f7d5b'},
        {label: 'From the CDN (GB)', data: gigabytes('cdnBytes'), backgroundColor: '#b9c2cc'}
      ]},
      options: {animation: false, interaction: {mode: 'index', intersect: false},
        scales: {x: {stacked: true}, y: {stacked: true, min: 0, title: {display: true, text: 'GB'}}}}
    });
    root.dataset.points = String(data.points.length);
  }

  load();
})();
