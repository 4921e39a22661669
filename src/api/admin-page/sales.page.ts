// The organizer's live sale page, /admin/sales/:concertId: the funnel as bars and admissions and
// sales per second over time, refreshed every second from GET /api/admin/concerts/:id/funnel.
// Self-contained (no CDN, no build step): this HTML and Chart.js served from our own node_modules.
// The page itself holds no data; the admin token is given in the URL fragment (#token=..., never
// sent to the server) or typed in, and kept in sessionStorage.
export const salesPageHtml = (chartJsUrl: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Encore — live sale</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.3rem;margin:0 0 .5rem}
#status{color:#666;font-size:.9rem;margin-bottom:1rem}
#status.error{color:#b00}
.row{display:flex;gap:1.5rem;flex-wrap:wrap}
.card{flex:1 1 420px;border:1px solid #ddd;border-radius:8px;padding:1rem}
.card h2{font-size:1rem;margin:0 0 .5rem}
.card canvas{width:100%;height:300px}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
td{padding:.15rem .8rem .15rem 0}
form{margin-bottom:1rem}
</style>
<script src="${chartJsUrl}"></script></head>
<body>
<h1 id="title">Live sale</h1>
<div id="status">connecting…</div>
<form id="login" hidden><label>Admin token <input id="token" type="password" size="60"></label> <button>Open</button></form>
<div class="row">
  <div class="card"><h2>Funnel</h2><canvas id="funnel"></canvas></div>
  <div class="card"><h2>Admissions and sales per second</h2><canvas id="rates"></canvas></div>
</div>
<div class="row"><div class="card"><h2>Counts</h2><table id="counts"></table></div></div>
<script>
(function () {
  var concertId = location.pathname.split('/').filter(Boolean).pop();
  var hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get('token')) { sessionStorage.setItem('encoreAdminToken', hash.get('token')); history.replaceState(null, '', location.pathname); }
  var token = sessionStorage.getItem('encoreAdminToken');
  var status = document.getElementById('status');
  var STAGES = [['joined', 'joined'], ['waiting', 'waiting'], ['admitted', 'admitted'], ['active', 'active'], ['abandoned', 'abandoned'],
    ['holding', 'holding'], ['paid', 'paid'], ['released', 'released'], ['expired', 'expired'], ['seatsLeft', 'seats left']];
  var funnel = new Chart(document.getElementById('funnel'), {
    type: 'bar',
    data: { labels: STAGES.map(function (s) { return s[1]; }), datasets: [{ label: 'count', data: STAGES.map(function () { return 0; }), backgroundColor: '#4e79a7' }] },
    options: { indexAxis: 'y', animation: false, plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } }
  });
  var rates = new Chart(document.getElementById('rates'), {
    type: 'line',
    data: { labels: [], datasets: [
      { label: 'admissions/s', data: [], borderColor: '#f28e2b', pointRadius: 0, tension: 0.2 },
      { label: 'sales/s', data: [], borderColor: '#59a14f', pointRadius: 0, tension: 0.2 }
    ] },
    options: { animation: false, scales: { y: { beginAtZero: true } } }
  });
  window.encoreCharts = { funnel: funnel, rates: rates };
  var previous = null;
  var KEEP = 300; // five minutes of one-second samples

  function showLogin(message) {
    status.textContent = message; status.className = 'error';
    document.getElementById('login').hidden = false;
  }
  document.getElementById('login').addEventListener('submit', function (e) {
    e.preventDefault();
    token = document.getElementById('token').value.trim();
    sessionStorage.setItem('encoreAdminToken', token);
    document.getElementById('login').hidden = true;
    tick();
  });

  function render(f) {
    document.getElementById('title').textContent = 'Live sale — concert ' + f.concertId + (f.soldOut ? ' (sold out)' : '');
    funnel.data.datasets[0].data = STAGES.map(function (s) { return f[s[0]]; });
    funnel.update();
    var t = Date.parse(f.at);
    if (previous && t > previous.t) {
      var secs = (t - previous.t) / 1000;
      rates.data.labels.push(new Date(t).toLocaleTimeString());
      rates.data.datasets[0].data.push(Math.max(0, (f.admitted - previous.admitted) / secs));
      rates.data.datasets[1].data.push(Math.max(0, (f.paid - previous.paid) / secs));
      if (rates.data.labels.length > KEEP) { rates.data.labels.shift(); rates.data.datasets.forEach(function (d) { d.data.shift(); }); }
      rates.update();
    }
    if (!previous || t > previous.t) previous = { t: t, admitted: f.admitted, paid: f.paid };
    var rows = Object.keys(f).filter(function (k) { return typeof f[k] !== 'object'; })
      .map(function (k) { return '<tr><td>' + k + '</td><td>' + String(f[k]) + '</td></tr>'; });
    Object.keys(f.reservationsByStatus).forEach(function (k) { rows.push('<tr><td>reservations ' + k + '</td><td>' + f.reservationsByStatus[k] + '</td></tr>'); });
    document.getElementById('counts').innerHTML = rows.join('');
    status.textContent = 'updated ' + new Date(t).toLocaleTimeString(); status.className = '';
  }

  var timer = null;
  function tick() {
    clearTimeout(timer);
    if (!token) return showLogin('an admin token is needed (open this page with #token=… or paste one)');
    fetch('/api/admin/concerts/' + encodeURIComponent(concertId) + '/funnel', { headers: { authorization: 'Bearer ' + token } })
      .then(function (res) {
        return res.json().then(function (body) {
          if (res.status === 401 || res.status === 403) { showLogin(body.error ? body.error.message : 'not allowed'); return; }
          if (!res.ok) throw new Error(body.error ? body.error.code + ': ' + body.error.message : 'HTTP ' + res.status);
          render(body);
          timer = setTimeout(tick, 1000);
        });
      })
      .catch(function (err) { status.textContent = 'retrying: ' + err.message; status.className = 'error'; timer = setTimeout(tick, 3000); });
  }
  tick();
})();
</script></body></html>`;
