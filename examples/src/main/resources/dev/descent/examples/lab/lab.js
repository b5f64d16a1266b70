// descent lab: the page draws; the numbers come from the lab server (descent itself).
'use strict';

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const $ = id => document.getElementById(id);
let catalogue = null;

async function api(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  const data = await response.json();
  if (!response.ok) {
    const e = new Error(data.error || ('HTTP ' + response.status));
    e.status = response.status;
    throw e;
  }
  return data;
}

function showError(id, message) {
  const box = $(id);
  box.textContent = message || '';
  box.hidden = !message;
}

function fmt(v) {
  if (v === null || v === undefined || !isFinite(v)) return '—';
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  const a = Math.abs(v);
  return a >= 0.01 && a < 1e4 ? v.toPrecision(3) : v.toExponential(2);
}

// ------------------------------------------------------------------ sliders

/** A slider over [min, max]: linear, or logarithmic (1000 steps over the decades). */
function slider(input, output, min, max, value, scale, onInput) {
  const log = scale === 'log';
  const toValue = s => log ? Math.pow(10, Math.log10(min) + (Math.log10(max) - Math.log10(min)) * s / 1000) : min + (max - min) * s / 1000;
  const toSlider = v => log ? 1000 * (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min)) : 1000 * (v - min) / (max - min);
  input.min = 0; input.max = 1000; input.step = 1;
  input.value = Math.round(toSlider(value));
  let moved = false; // until the slider moves, its value is exactly the one it started with (an optimizer's default, say)
  const read = () => {
    if (!moved) return value;
    let v = toValue(Number(input.value));
    if (log) v = Number(v.toPrecision(2));
    else v = Math.round(v * 1e4) / 1e4;
    return v;
  };
  const show = () => { if (output) output.textContent = fmt(read()); };
  input.addEventListener('input', () => { moved = true; show(); onInput(); });
  show();
  return read;
}

function simpleSlider(id, scaleFn, onInput) {
  const input = $(id), out = $(id + '-value');
  const read = () => scaleFn(Number(input.value));
  const show = () => { if (out) out.textContent = fmt(read()); };
  input.addEventListener('input', () => { show(); onInput(); });
  show();
  return read;
}

function element(tag, text) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  return e;
}

function row(...cells) {
  const tr = element('tr');
  tr.append(...cells);
  return tr;
}

function debounce(fn, ms) {
  let timer = null;
  return () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
}

// ------------------------------------------------------------------ charts

/**
 * Lines on a log-scale y axis: series [{ys, colour, dash, full?}], ticks at powers of ten, all written alike (1e-3).
 * The axes cover each series' full values (full, when only a first part ys is drawn yet, as in an animation).
 */
function logChart(canvas, series, xLabel) {
  const g = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  const L = 58, R = 10, T = 10, B = 34;
  g.clearRect(0, 0, W, H);
  let lo = Infinity, hi = -Infinity, n = 1;
  for (const s of series) {
    const all = s.full || s.ys;
    n = Math.max(n, all.length - 1);
    for (const v of all) if (v !== null && v > 0 && isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  if (!isFinite(lo)) { lo = 1e-3; hi = 1; }
  let e0 = Math.floor(Math.log10(lo)), e1 = Math.ceil(Math.log10(hi));
  if (e1 === e0) e1 = e0 + 1;
  e0 = Math.max(e0, e1 - 16);
  const X = i => L + (W - L - R) * i / n, Y = v => T + (H - T - B) * (e1 - Math.log10(v)) / (e1 - e0);
  g.strokeStyle = '#ddd'; g.fillStyle = '#333'; g.font = '11px sans-serif'; g.textAlign = 'right'; g.textBaseline = 'middle';
  const every = Math.ceil((e1 - e0) / 8);
  for (let e = e0; e <= e1; e += every) {
    const y = Y(Math.pow(10, e));
    g.beginPath(); g.moveTo(L, y); g.lineTo(W - R, y); g.stroke();
    g.fillText(e === 0 ? '1' : '1e' + e, L - 4, y);
  }
  g.textAlign = 'center'; g.textBaseline = 'top';
  const step = niceStep(n / 6);
  for (let i = 0; i <= n; i += step) g.fillText(String(i), X(i), H - B + 4);
  g.fillText(xLabel, L + (W - L - R) / 2, H - 14);
  g.strokeStyle = '#888'; g.strokeRect(L, T, W - L - R, H - T - B);
  g.save(); g.beginPath(); g.rect(L, T, W - L - R, H - T - B); g.clip();
  for (const s of series) {
    g.strokeStyle = s.colour; g.lineWidth = 2; g.setLineDash(s.dash ? [6, 4] : []);
    g.beginPath();
    let pen = false;
    s.ys.forEach((v, i) => {
      if (v === null || !(v > 0) || !isFinite(v)) { pen = false; return; }
      const y = Y(Math.max(v, Math.pow(10, e0)));
      if (pen) g.lineTo(X(i), y); else g.moveTo(X(i), y);
      pen = true;
    });
    g.stroke();
  }
  g.restore(); g.setLineDash([]);
}

function niceStep(raw) {
  const p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return Math.max(1, m * p);
  return Math.max(1, 10 * p);
}

// ------------------------------------------------------------------ optimizer playground

const opt = {cards: [], result: null, frame: 0, animation: null, start: null, request: 0};

function optimizerCard(initial) {
  const card = document.createElement('div');
  card.className = 'opt-card';
  const head = document.createElement('header');
  const select = document.createElement('select');
  select.className = 'opt-kind';
  for (const o of catalogue.optimizers) select.add(new Option(o.label, o.key));
  select.value = initial.name;
  const remove = document.createElement('button');
  remove.textContent = '×';
  remove.title = 'remove';
  head.append(select, remove);
  const body = document.createElement('div');
  card.append(head, body);
  const entry = {card, select, readers: {}};
  const build = values => {
    body.innerHTML = '';
    entry.readers = {};
    const kind = catalogue.optimizers.find(o => o.key === select.value);
    for (const h of kind.hyperparameters) {
      const label = document.createElement('label');
      const value = values && values[h.name] !== undefined ? values[h.name] : h.defaultValue;
      if (h.scale === 'toggle') {
        const box = document.createElement('input');
        box.type = 'checkbox'; box.checked = !!value; box.dataset.name = h.name;
        box.addEventListener('change', recompute);
        label.append(box, ' ' + h.name);
        entry.readers[h.name] = () => box.checked;
      } else {
        const input = document.createElement('input');
        input.type = 'range'; input.dataset.name = h.name;
        const out = document.createElement('output');
        label.append(h.name + ' ', input, ' ', out);
        entry.readers[h.name] = slider(input, out, h.min, h.max, value, h.scale, recompute);
      }
      body.append(label);
    }
  };
  select.addEventListener('change', () => { build(null); recompute(); });
  remove.addEventListener('click', () => {
    if (opt.cards.length === 1) return;
    opt.cards.splice(opt.cards.indexOf(entry), 1);
    card.remove();
    colourCards();
    recompute();
  });
  build(initial.params);
  $('optimizers').append(card);
  opt.cards.push(entry);
  colourCards();
  return entry;
}

function colourCards() {
  opt.cards.forEach((c, i) => { c.card.style.borderColor = COLOURS[i % COLOURS.length]; });
  $('add-opt').disabled = opt.cards.length >= catalogue.maxOptimizers;
}

let readKappa, readNoise, readSteps;

function optRequest() {
  const optimizers = opt.cards.map(c => {
    const params = {};
    for (const [k, read] of Object.entries(c.readers)) params[k] = read();
    return {name: c.select.value, params};
  });
  const body = {landscape: $('landscape').value, kappa: readKappa(), noise: readNoise(), steps: readSteps(),
    seed: Number($('seed').value), optimizers};
  if (opt.start) { body.startX = opt.start[0]; body.startY = opt.start[1]; }
  return body;
}

async function recomputeNow() {
  const id = ++opt.request;
  try {
    const result = await api('/api/trajectory', optRequest());
    if (id !== opt.request) return; // a newer request is on its way
    showError('opt-error', null);
    opt.result = result;
    animate();
  } catch (e) {
    if (id === opt.request) showError('opt-error', e.message);
  }
}
const recompute = debounce(recomputeNow, 60);

function animate() {
  cancelAnimationFrame(opt.animation);
  const r = opt.result, longest = Math.max(...r.paths.map(p => p.x.length));
  const frames = 45;
  let f = 0;
  const tick = () => {
    f++;
    drawOptimizer(Math.ceil(longest * f / frames), f === 1);
    if (f < frames) opt.animation = requestAnimationFrame(tick);
  };
  tick();
}

function landscapeColour(t) { // t in [0, 1], light to dark blue-green bands
  const a = [247, 251, 255], b = [8, 64, 129];
  return `rgb(${a.map((v, i) => Math.round(v + (b[i] - v) * t)).join(',')})`;
}

function drawOptimizer(upTo, withTable) {
  const r = opt.result, canvas = $('contour'), g = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  const [x0, x1, y0, y1] = r.window, n = r.gridSize;
  const X = x => (x - x0) / (x1 - x0) * W, Y = y => H - (y - y0) / (y1 - y0) * H;
  let lo = Infinity, hi = -Infinity;
  const logs = r.grid.map(v => Math.log10(Math.max(v, 1e-12) + 1e-3));
  for (const v of logs) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const cw = W / n, ch = H / n, bands = 14;
  for (let row = 0; row < n; row++) for (let col = 0; col < n; col++) {
    const t = Math.floor((logs[row * n + col] - lo) / (hi - lo + 1e-12) * bands) / bands;
    g.fillStyle = landscapeColour(t * 0.85);
    g.fillRect(col * cw - cw / 2, H - row * ch - ch / 2, cw + 1, ch + 1);
  }
  g.fillStyle = '#000'; g.font = '20px sans-serif'; g.textAlign = 'center'; g.textBaseline = 'middle';
  g.fillText('★', X(r.minimizer[0]), Y(r.minimizer[1]));
  if (r.landscape === 'saddle') g.fillText('★', X(r.minimizer[0]), Y(-r.minimizer[1]));
  r.paths.forEach((p, i) => {
    g.strokeStyle = COLOURS[i % COLOURS.length]; g.lineWidth = 2.5 - Math.min(1.5, i * 0.2);
    g.beginPath();
    const m = Math.min(upTo, p.x.length);
    for (let k = 0; k < m; k++) {
      const px = Math.max(-1e4, Math.min(1e4, X(p.x[k]))), py = Math.max(-1e4, Math.min(1e4, Y(p.y[k])));
      if (k === 0) g.moveTo(px, py); else g.lineTo(px, py);
    }
    g.stroke();
    if (m > 0) {
      g.fillStyle = COLOURS[i % COLOURS.length];
      g.beginPath(); g.arc(X(p.x[m - 1]), Y(p.y[m - 1]), 4, 0, 2 * Math.PI); g.fill();
    }
  });
  g.strokeStyle = '#000'; g.lineWidth = 2;
  g.beginPath(); g.arc(X(r.start[0]), Y(r.start[1]), 6, 0, 2 * Math.PI); g.stroke();
  g.lineWidth = 1;
  const cut = p => p.slice(0, Math.min(upTo, p.length));
  logChart($('gap'), r.paths.map((p, i) => ({ys: cut(p.gap), full: p.gap, colour: COLOURS[i % COLOURS.length]})), 'step');
  const eigen = r.paths.every(p => p.eigenError);
  $('eigen-figure').hidden = !eigen;
  if (eigen) {
    const series = [];
    r.paths.forEach((p, i) => {
      series.push({ys: cut(p.eigenError[1]), full: p.eigenError[1], colour: COLOURS[i % COLOURS.length]});
      series.push({ys: cut(p.eigenError[0]), full: p.eigenError[0], colour: COLOURS[i % COLOURS.length], dash: true});
    });
    logChart($('eigen'), series, 'step');
  }
  if (withTable) $('opt-summary').tBodies[0].replaceChildren(...r.paths.map((p, i) => {
    const swatch = element('span', '■ ');
    swatch.style.color = COLOURS[i % COLOURS.length]; // set through the DOM: the page's policy forbids inline styles
    const name = element('td');
    name.append(swatch, p.label);
    const gap = element('td', fmt(p.gap[p.gap.length - 1]));
    gap.className = 'final-gap';
    return row(name, gap, element('td', String(p.gap.length - 1)), element('td', p.diverged >= 0 ? 'diverged at step ' + p.diverged : ''));
  }));
  canvas.dataset.version = String(opt.request);
}

function initOptimizer() {
  const land = $('landscape');
  for (const l of catalogue.landscapes) land.add(new Option(l.title, l.key));
  const [kmin, kmax, kdef] = catalogue.kappa;
  const kappaInput = $('kappa');
  readKappa = slider(kappaInput, $('kappa-value'), kmin, kmax, kdef, 'log', recompute);
  readNoise = simpleSlider('noise', s => s / 20, recompute);
  readSteps = simpleSlider('steps', s => s, recompute);
  const showKappa = () => { $('kappa-row').hidden = land.value !== 'quadratic'; };
  land.addEventListener('change', () => { opt.start = null; showKappa(); recompute(); });
  $('seed').addEventListener('input', recompute);
  showKappa();
  optimizerCard({name: 'sgd', params: {lr: 0.001}});
  optimizerCard({name: 'sgd', params: {lr: 0.001, momentum: 0.9}});
  optimizerCard({name: 'adam', params: {lr: 0.05}});
  $('add-opt').addEventListener('click', () => { optimizerCard({name: 'rmsprop', params: null}); recompute(); });
  $('contour').addEventListener('click', e => {
    if (!opt.result) return;
    const rect = e.target.getBoundingClientRect(), [x0, x1, y0, y1] = opt.result.window;
    const fx = (e.clientX - rect.left) / rect.width, fy = (e.clientY - rect.top) / rect.height;
    opt.start = [x0 + fx * (x1 - x0), y1 - fy * (y1 - y0)].map(v => Number(v.toPrecision(4)));
    recompute();
  });
  recomputeNow();
}

// ------------------------------------------------------------------ network playground

const net = {session: null, running: false, busy: false, trainLoss: [], testLoss: [], state: null};

function sessionId() {
  let id = sessionStorage.getItem('descent-lab-session');
  if (!id) {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    id = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
    sessionStorage.setItem('descent-lab-session', id);
  }
  return id;
}

let readPoints, readDataNoise, readDepth, readWidth, readNetLr;

function netConfig() {
  return {dataset: $('dataset').value, points: readPoints(), noise: readDataNoise(), depth: readDepth(), width: readWidth(),
    activation: $('activation').value, init: $('init').value, batchNorm: $('batchnorm').checked, residual: $('residual').checked,
    optimizer: {name: $('net-optimizer').value, params: {lr: readNetLr()}},
    batchSize: Number($('batch-size').value), seed: Number($('net-seed').value)};
}

/**
 * Resets run one after another, each reading the controls when its turn comes, so that the page and the server end
 * on the last change made even when an earlier request answers late.
 */
let resets = Promise.resolve();
function netReset() {
  resets = resets.then(resetNow);
  return resets;
}

async function resetNow() {
  setRunning(false);
  try {
    const state = await api('/api/network/reset', {session: sessionId(), config: netConfig()});
    showError('net-error', null);
    net.trainLoss = []; net.testLoss = [];
    net.resets = (net.resets || 0) + 1;
    $('net-status').dataset.resets = String(net.resets);
    take(state);
  } catch (e) {
    showError('net-error', e.message);
    net.state = null;
  }
}
const netResetSoon = debounce(netReset, 150);

function take(state) {
  net.trainLoss.length = state.since; net.testLoss.length = state.since;
  net.trainLoss.push(...state.trainLoss); net.testLoss.push(...state.testLoss);
  net.state = state;
  drawNetwork();
  if (state.stopped) { showError('net-error', state.stopped); setRunning(false); }
}

async function netStep(steps) {
  if (net.busy || !net.state) return;
  net.busy = true;
  try {
    take(await api('/api/network/step', {session: sessionId(), steps, since: net.trainLoss.length}));
  } catch (e) {
    if (e.status === 404) { await netReset(); } else { showError('net-error', e.message); setRunning(false); }
  } finally {
    net.busy = false;
  }
}

function setRunning(on) {
  net.running = on;
  $('net-start').textContent = on ? 'Pause' : 'Start';
  if (on) loop();
}

async function loop() {
  while (net.running) {
    await netStep(10);
    await new Promise(r => setTimeout(r, 30));
  }
}

function drawNetwork() {
  const s = net.state, canvas = $('boundary'), g = canvas.getContext('2d'), W = canvas.width, H = canvas.height, n = s.gridSize;
  const [x0, x1, y0, y1] = s.window;
  const blue = [31, 119, 180], orange = [255, 127, 14];
  const img = g.createImageData(W, H);
  for (let py = 0; py < H; py++) for (let px = 0; px < W; px++) {
    const col = Math.min(n - 1, Math.floor(px / W * n)), row = Math.min(n - 1, Math.floor((H - 1 - py) / H * n));
    const p = s.boundary[row * n + col], k = (py * W + px) * 4;
    for (let c = 0; c < 3; c++) img.data[k + c] = Math.round(255 + ((p > 0.5 ? orange[c] : blue[c]) - 255) * Math.abs(p - 0.5) * 1.2);
    img.data[k + 3] = 255;
  }
  g.putImageData(img, 0, 0);
  const X = x => (x - x0) / (x1 - x0) * W, Y = y => H - (y - y0) / (y1 - y0) * H;
  for (let i = 0; i < s.points.length; i += 4) {
    const colour = s.points[i + 2] === 1 ? '#ff7f0e' : '#1f77b4';
    g.beginPath(); g.arc(X(s.points[i]), Y(s.points[i + 1]), 3.5, 0, 2 * Math.PI);
    if (s.points[i + 3] === 1) { g.strokeStyle = colour; g.lineWidth = 1.5; g.stroke(); }
    else { g.fillStyle = colour; g.fill(); g.strokeStyle = '#fff'; g.lineWidth = 0.8; g.stroke(); }
  }
  logChart($('net-loss'), [{ys: net.trainLoss, colour: '#333'}, {ys: net.testLoss, colour: '#d62728', dash: true}], 'step');
  const last = a => a.length ? a[a.length - 1] : null;
  $('net-status').textContent = `step ${s.step} · train loss ${fmt(last(net.trainLoss))} · test loss ${fmt(last(net.testLoss))}`
    + ` · train accuracy ${(100 * s.trainAccuracy).toFixed(1)}% · test accuracy ${(100 * s.testAccuracy).toFixed(1)}%`;
  $('net-status').dataset.step = String(s.step);
  const bars = $('grad-bars');
  bars.innerHTML = '';
  if (!s.layers.length) { bars.textContent = 'no gradients yet: press Step or Start'; return; }
  const logs = s.layers.map(l => Math.log10(Math.max(l.gradNorm || 1e-12, 1e-12)));
  const top = Math.ceil(Math.max(...logs)), bottom = Math.min(top - 4, Math.floor(Math.min(...logs)));
  for (let i = 0; i < s.layers.length; i++) {
    const l = s.layers[i], line = element('div');
    line.className = 'grad-row health-' + l.health;
    const track = element('span'), bar = element('div');
    track.className = 'grad-track';
    bar.className = 'grad-bar';
    bar.style.width = Math.max(1, 100 * (logs[i] - bottom) / (top - bottom)).toFixed(1) + '%';
    track.append(bar);
    const name = element('span', l.name), value = element('span', fmt(l.gradNorm)), health = element('span', l.health);
    name.className = 'grad-name'; value.className = 'grad-value'; health.className = 'grad-health';
    line.append(name, track, value, health);
    bars.append(line);
  }
}

function initNetwork() {
  for (const d of catalogue.datasets) $('dataset').add(new Option(d, d));
  for (const a of catalogue.activations) $('activation').add(new Option(a, a));
  for (const i of catalogue.inits) $('init').add(new Option(i, i));
  for (const o of catalogue.optimizers) $('net-optimizer').add(new Option(o.label, o.key));
  $('net-optimizer').value = 'adam';
  readPoints = simpleSlider('points', s => s, netResetSoon);
  readDataNoise = simpleSlider('data-noise', s => s / 100, netResetSoon);
  readDepth = simpleSlider('depth', s => s, netResetSoon);
  readWidth = simpleSlider('width', s => s, netResetSoon);
  readNetLr = slider($('net-lr'), $('net-lr-value'), 1e-5, 10, 0.01, 'log', netResetSoon);
  for (const id of ['dataset', 'activation', 'init', 'batchnorm', 'residual', 'net-optimizer', 'batch-size', 'net-seed']) {
    $(id).addEventListener('change', netResetSoon);
  }
  $('net-start').addEventListener('click', () => setRunning(!net.running));
  $('net-step').addEventListener('click', () => netStep(1));
  $('net-reset').addEventListener('click', netReset);
  netReset();
}

// ------------------------------------------------------------------ start

function showTab(name) {
  for (const t of document.querySelectorAll('.tab')) t.classList.toggle('active', t.dataset.show === name);
  for (const s of document.querySelectorAll('.playground')) s.hidden = s.id !== name;
}
for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => { showTab(tab.dataset.show); history.replaceState(null, '', '#' + tab.dataset.show); });
if (location.hash === '#network') showTab('network');

api('/api/catalogue').then(c => {
  catalogue = c;
  initOptimizer();
  initNetwork();
}).catch(e => showError('opt-error', 'cannot load the catalogue: ' + e.message));
