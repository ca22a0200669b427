// The orderbus dashboard: live data from GET /dashboard/events (server-sent events), actions through the REST API.
//
// The events are operator data and need the admin token. EventSource cannot send a header, and a token in the URL
// would end up in history, proxy logs and Referer headers, so the stream is read with fetch(), which sends the token
// as "Authorization: Bearer", exactly as every other operator route takes it. The token lives in this tab's
// sessionStorage (gone when the tab closes) and is never written to the console or the page.
'use strict';

(() => {
  const TOKEN_KEY = 'orderbus.operatorToken';
  const HISTORY = 120;          // points per group chart: two minutes at one per second
  const MAX_ROWS = 100;         // orders kept in the table
  const SILENCE_MS = 10000;     // the gateway sends something every second; this long without a byte: reconnect
  const RETRY_MS = 2000;
  const METRICS = [
    ['pending', 'pending', v => v],
    ['inFlight', 'in flight', v => v],
    ['deadLetters', 'dead letters', v => v],
    ['oldestPendingAgeMs', 'oldest (s)', v => v / 1000],
  ];

  const $ = id => document.getElementById(id);
  const el = (tag, props = {}, ...children) => {
    const e = document.createElement(tag);
    Object.entries(props).forEach(([k, v]) => {
      if (k === 'class') e.className = v;
      else if (k.startsWith('data-')) e.setAttribute(k, v);
      else e[k] = v;
    });
    children.forEach(c => e.append(c));
    return e;
  };
  const clock = ms => new Date(ms).toLocaleTimeString([], {hour12: false});

  // ---- the token -------------------------------------------------------------------------------------------------

  let token = sessionStorage.getItem(TOKEN_KEY);

  // A header carries bytes; the gateway compares the token's UTF-8 bytes. fetch() takes a header value as one
  // character per byte, so a token beyond ASCII is handed over as its UTF-8 bytes.
  const utf8Bytes = text => String.fromCharCode(...new TextEncoder().encode(text));

  function askForToken(message) {
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    $('token-msg').textContent = message || '';
    $('token-form').hidden = false;
    $('forget').hidden = true;
    $('token').focus();
  }

  $('token-form').addEventListener('submit', event => {
    event.preventDefault();
    token = $('token').value;
    $('token').value = '';
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token-form').hidden = true;
    $('forget').hidden = false;
    connect();
  });
  $('forget').addEventListener('click', () => {
    stopStream();
    askForToken('token forgotten');
    setConn('off', 'not connected');
  });

  // ---- the event stream ------------------------------------------------------------------------------------------

  let abort = null;
  let retryTimer = null;

  function setConn(state, text) {
    $('conn').dataset.state = state;
    $('conn').textContent = text;
  }

  function stopStream() {
    clearTimeout(retryTimer);
    if (abort) abort.abort();
    abort = null;
  }

  function retryLater(ms, why) {
    setConn('off', why + '; reconnecting');
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, ms);
  }

  async function connect() {
    stopStream();
    if (!token) {
      askForToken();
      return;
    }
    const controller = new AbortController();
    abort = controller;
    setConn('off', 'connecting…');
    let response;
    try {
      response = await fetch('/dashboard/events', {
        headers: {'Authorization': 'Bearer ' + utf8Bytes(token), 'Accept': 'text/event-stream'},
        cache: 'no-store', signal: controller.signal,
      });
    } catch (e) {
      if (abort === controller) retryLater(RETRY_MS, 'gateway unreachable');
      return;
    }
    if (response.status === 401 || response.status === 403) {
      setConn('off', 'not connected');
      askForToken(response.status === 401 ? 'the gateway asks for the operator token' : 'wrong token');
      return;
    }
    if (!response.ok) {
      const after = Number(response.headers.get('Retry-After')) || RETRY_MS / 1000;
      retryLater(after * 1000, 'gateway answered ' + response.status);
      return;
    }
    $('forget').hidden = false;
    setConn('on', 'live');
    await read(response, controller);
    if (abort === controller) retryLater(RETRY_MS, 'stream ended');
  }

  async function read(response, controller) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
    try {
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        clearTimeout(watchdog);
        watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (e) {
      // Aborted (silence, a new connect) or cut: the caller decides whether to reconnect.
    } finally {
      clearTimeout(watchdog);
    }
  }

  function dispatch(block) {
    let name = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) name = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (!data) return;
    const json = JSON.parse(data);
    if (name === 'cluster') onCluster(json);
    else if (name === 'orders') onOrders(json);
    else if (name === 'problem') showProblem(json.error + ': ' + json.message);
  }

  function showProblem(text) {
    $('problem').textContent = text ? 'cluster view: ' + text : '';
    $('problem').hidden = !text;
  }

  // ---- nodes and groups ------------------------------------------------------------------------------------------

  // Nodes this page has seen; one missing from the live list is shown down (the gateway lists live nodes only).
  const seen = new Map();
  const groups = new Map();

  function onCluster(view) {
    showProblem('');
    const live = new Set(view.nodes.map(n => n.name));
    view.nodes.forEach(n => seen.set(n.name, Object.assign(seen.get(n.name) || {},
      {roles: n.roles, up: true, since: n.startedAt})));
    seen.forEach((node, name) => {
      if (!live.has(name) && node.up) Object.assign(node, {up: false, since: view.at});
    });
    // Updated in place, not redrawn: a node's element stays the same one for as long as the page shows it.
    [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).forEach(([name, node]) => {
      if (!node.li) {
        node.li = el('li', {'data-node': name}, el('div', {class: 'name', textContent: name}),
          el('div', {class: 'roles'}), el('div', {class: 'since'}));
      }
      node.li.dataset.state = node.up ? 'up' : 'down';
      node.li.children[1].textContent = node.roles.join(', ');
      node.li.children[2].textContent = (node.up ? 'up since ' : 'DOWN since ') + clock(node.since);
      $('nodes').append(node.li);
    });
    Object.entries(view.groups).forEach(([name, stats]) => groupRow(name).add(view.at / 1000, stats));
  }

  function groupRow(name) {
    if (groups.has(name)) return groups.get(name);
    const members = el('small');
    const row = el('div', {class: 'group', 'data-group': name}, el('div', {class: 'gname', textContent: name}, members));
    $('groups').append(row);
    const xs = [];
    const series = METRICS.map(([key, label, scale]) => {
      const value = el('span', {class: 'value', textContent: '–'});
      const cell = el('div', {class: 'metric', 'data-metric': key}, el('div', {class: 'label'}, label + ' ', value));
      row.append(cell);
      const ys = [];
      const plot = new uPlot({
        width: Math.max(100, cell.clientWidth), height: 60, legend: {show: false}, cursor: {show: false},
        scales: {x: {time: true}, y: {range: (u, min, max) => [0, Math.max(1, max)]}},
        axes: [{show: false}, {size: 34, font: '10px system-ui', ticks: {show: false}, gap: 2}],
        series: [{}, {stroke: '#1f6fb4', fill: 'rgba(31,111,180,0.12)', width: 1.5, points: {show: false}}],
      }, [xs, ys], cell);
      return {key, scale, value, ys, plot};
    });
    const group = {
      add(at, stats) {
        members.textContent = stats.members + (stats.members === 1 ? ' member' : ' members');
        xs.push(at);
        if (xs.length > HISTORY) xs.shift();
        series.forEach(s => {
          const v = s.scale(stats[s.key]);
          s.value.textContent = Number.isInteger(v) ? v : v.toFixed(1);
          s.ys.push(v);
          if (s.ys.length > HISTORY) s.ys.shift();
          s.plot.setData([xs, s.ys]);
        });
      },
    };
    groups.set(name, group);
    return group;
  }

  // ---- orders ----------------------------------------------------------------------------------------------------

  const rows = new Map();
  let dropped = 0;

  function onOrders(batch) {
    batch.orders.forEach(showOrder);
    if (batch.dropped > 0) {
      // The gateway holds a bounded number of changes between two frames; past that it says how many it left out.
      dropped += batch.dropped;
      $('dropped').textContent = dropped + ' changes not shown (more than the gateway sends at once)';
    }
  }

  // Accepts a summary from the stream or a whole order from a POST answer; the one with more steps is newer.
  function showOrder(order) {
    const steps = order.steps ?? (order.timeline ? order.timeline.length : 0);
    const last = order.timeline ? order.timeline[order.timeline.length - 1] || {} : {};
    const o = {
      id: order.id, mode: order.mode, status: order.status, emailStatus: order.emailStatus, reason: order.reason,
      createdAt: order.createdAt, steps,
      lastEvent: order.lastEvent ?? last.event, lastNode: order.lastNode ?? last.node,
    };
    let row = rows.get(o.id);
    if (row && row.order.steps > o.steps) return;
    if (!row) {
      const tr = el('tr', {'data-order-id': o.id, class: 'path-' + o.mode});
      tr.addEventListener('click', () => showTimeline(o.id, tr));
      row = {tr};
      rows.set(o.id, row);
      $('orders').tBodies[0].prepend(tr);
      if (rows.size > MAX_ROWS) {
        const oldest = $('orders').tBodies[0].lastElementChild;
        rows.delete(oldest.dataset.orderId);
        oldest.remove();
      }
    }
    row.order = o;
    row.tr.dataset.status = o.status;
    const status = el('td', {class: 'status', 'data-status': o.status,
      textContent: o.status + (o.reason ? ' (' + o.reason + ')' : '')});
    row.tr.replaceChildren(
      el('td', {textContent: clock(o.createdAt)}),
      el('td', {class: 'mono', textContent: o.id.slice(0, 8)}),
      el('td', {class: 'path', textContent: o.mode}),
      status,
      el('td', {class: 'email', 'data-email': o.emailStatus, textContent: o.emailStatus}),
      el('td', {textContent: o.lastEvent ? o.lastEvent + ' on ' + o.lastNode : ''}));
    if (selected === o.id) showTimeline(o.id, row.tr);
  }

  let selected = null;

  async function showTimeline(id, tr) {
    selected = id;
    document.querySelectorAll('#orders tr.selected').forEach(r => r.classList.remove('selected'));
    tr.classList.add('selected');
    const response = await fetch('/orders/' + encodeURIComponent(id), {cache: 'no-store'});
    if (!response.ok || selected !== id) return;
    const order = await response.json();
    $('timeline-id').textContent = id;
    $('timeline').querySelector('tbody').replaceChildren(...order.timeline.map(step => el('tr', {},
      el('td', {textContent: step.at - order.createdAt}),
      el('td', {textContent: step.event}),
      el('td', {textContent: step.node}))));
    $('timeline').hidden = false;
  }

  // ---- placing orders and their latency --------------------------------------------------------------------------

  const randomHex = () => [...crypto.getRandomValues(new Uint8Array(8))].map(b => b.toString(16).padStart(2, '0')).join('');
  const latency = {async: makeLatency('async'), sync: makeLatency('sync')};

  function makeLatency(mode) {
    const box = $('lat-' + mode);
    const xs = [];
    const ys = [];
    const outcomes = new Map();
    const color = mode === 'async' ? '#1f6fb4' : '#d9730d';
    const plot = new uPlot({
      width: 300, height: 140, legend: {show: false},
      scales: {x: {time: false}, y: {range: () => [0, sharedMax()]}},
      axes: [{size: 24, font: '10px system-ui'}, {size: 40, font: '10px system-ui', label: 'ms', labelSize: 12}],
      series: [{}, {stroke: color, width: 0, points: {show: true, size: 4, stroke: color, fill: color}}],
    }, [xs, ys], box.querySelector('.chart'));
    return {
      xs, ys, plot, outcomes, box,
      add(ms, outcome) {
        xs.push(xs.length + 1);
        ys.push(ms);
        outcomes.set(outcome, (outcomes.get(outcome) || 0) + 1);
      },
      clear() {
        xs.length = 0;
        ys.length = 0;
        outcomes.clear();
      },
      render() {
        const sorted = [...ys].sort((a, b) => a - b);
        const pct = p => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1) : '–';
        const parts = [...outcomes.entries()].map(([k, n]) => n + ' × ' + k).join(', ');
        box.querySelector('.stats').textContent = sorted.length
          ? `${sorted.length} orders: p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms — ${parts}`
          : 'no orders yet';
        box.dataset.count = String(sorted.length);
        plot.setData([xs, ys]);
      },
    };
  }

  function sharedMax() {
    return Math.max(10, ...latency.async.ys, ...latency.sync.ys) * 1.05;
  }

  let drawPending = false;
  function redraw() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      // Both: a new maximum on one path rescales the other, so the two stay comparable side by side.
      latency.async.render();
      latency.sync.render();
    });
  }

  async function placeOne(mode, sku) {
    const body = JSON.stringify({customerEmail: 'dashboard-' + randomHex() + '@example.com', items: [{sku, quantity: 1}]});
    const started = performance.now();
    let outcome;
    try {
      const response = await fetch('/orders?mode=' + mode, {
        method: 'POST', body, cache: 'no-store',
        headers: {'Content-Type': 'application/json', 'Idempotency-Key': 'dashboard-' + randomHex()},
      });
      const json = await response.json();
      outcome = String(response.status) + (json.error ? ' ' + json.error : '');
      latency[mode].add(performance.now() - started, outcome);
      if (json.id) showOrder(json);
    } catch (e) {
      latency[mode].add(performance.now() - started, 'no answer');
    }
    redraw();
  }

  async function place(mode) {
    const n = Math.max(1, Math.min(1000, Number($('place-n').value) || 1));
    const at = Math.max(1, Math.min(32, Number($('place-conc').value) || 1));
    const sku = $('place-sku').value.trim();
    let next = 0;
    const worker = async () => {
      while (next < n) {
        next++;
        await placeOne(mode, sku);
      }
    };
    await Promise.all(Array.from({length: Math.min(at, n)}, worker));
  }

  $('place-async').addEventListener('click', () => place('async'));
  $('place-sync').addEventListener('click', () => place('sync'));
  $('place-clear').addEventListener('click', () => {
    latency.async.clear();
    latency.sync.clear();
    redraw();
  });

  connect();
})();
