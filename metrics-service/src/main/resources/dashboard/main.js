// The dashboard: one snapshot in memory, painted by the heatmap and the lists, kept current by the
// live stream. The server is asked again only when something happens (a new snapshot, another
// metric, a switch opened, the data turning stale): there is no polling loop.
import { api, describeFailure } from './api.js';
import { LiveStream } from './live.js';
import { Heatmap } from './heatmap.js';
import { viridis, css, scaleOf } from './viridis.js';
import { drawSparkline } from './sparkline.js';
import { PortTable } from './ports.js';
import { formatAge, formatInstant, formatValue, formatNumber, unitOf } from './format.js';

const $ = (id) => document.getElementById(id);
/** Writes only a change: live regions announce every write, and the age ticks every second. */
const setText = (id, text) => {
  const element = $(id);
  if (element.textContent !== text) element.textContent = text;
};
const DEFAULT_METRICS = ['utilization_pct', 'bandwidth_gbps', 'latency_us',
  // UFM Telemetry's port rows: the normalized bandwidth, the nearest thing to utilization
  'Infiniband_Normalized_CBW_f_u_Percent', 'Infiniband_CBW_f_u_Gbps'];
const LINK_METRICS = ['link_state', 'link_down_count'];
// Port rows carry no link state: UFM counts each port's link-down events. A port whose counter
// rose since its previous sample (its rate above 0) went down in that interval; the raw counter
// would list every port that ever flapped since the counter was last cleared.
const PORT_LINK_DOWNED = 'Infiniband_LinkDowned_u_Errors_per_second';
const PORT_LINK_DOWNED_COUNTER = 'Infiniband_LinkDowned_u_Errors';
const PORTS_DOWN_FIRST = 50;    // the usual case: a few ports down, the rest of the answer ports at 0
const PORTS_DOWN_LIMIT = 1000;  // TopPorts' largest limit
const MAX_SILENCE_MS = 30000;
/** A key of a parsed JSON object: its own property only, so a switch named `constructor` is just a name. */
const own = (object, key) => (object != null && Object.hasOwn(object, key) ? object[key] : undefined);
/** A JSON object (switch or metric names as keys) as a Map, which has no inherited keys at all. */
const mapOf = (object) => new Map(object ? Object.entries(object) : []);

const state = {
  metrics: [],          // every metric of the snapshot (from an unfiltered ListMetrics)
  metric: null,         // the one the map is coloured by
  order: 'desc',
  snapshot: null,       // {sequence, sampledAt, collectedAt, switches: Map id -> row, carriedOver: Map id -> sampledAt,
                        //  descriptions: Map id -> node_description}
  portRows: null,       // true: the source sends one row per port (UFM Telemetry), switches are aggregates
  ids: [],
  offsetMs: 0,          // server clock minus this browser's clock
  staleAfterMs: null,
  health: null,         // the ingestion component of /actuator/health: {status, details}
  healthNote: '',
  stale: false,
  staleTimer: null,
  stream: 'connecting',
  streamDetail: '',
  selected: null,
  selectedPort: null,   // the port to point out in the open switch (opened from a port list)
  revealPort: false,    // scroll to it once its row is drawn
  history: { id: null, metric: null, points: [], retentionMs: null },
  requests: { top: 0, topPorts: 0, down: 0, detail: 0, history: 0, metric: 0, metrics: 0 },
  metricNote: '',       // says why the chosen metric changed by itself (it left the snapshot)
  snapshotEveryMs: null, // the time between the last two snapshots' sampledAt
  silenceTimer: null,
  silenceMs: null,
};

const heatmap = new Heatmap($('heatmap'), $('tooltip'), $('heatmap-announcer'), (id) => openDetail(id, true));
const portTable = new PortTable({
  rows: $('ports-rows'), summary: $('ports-summary'), byPort: $('ports-sort-port'), byValue: $('ports-sort-value'),
});
const stream = new LiveStream(streamUrl, (snapshot) => applySnapshot(snapshot, 'stream'), onStreamState,
  () => checkMetrics()); // a refused stream: perhaps a metric it is filtered to is gone (404)

// ---- snapshots ------------------------------------------------------------------------------

/** The map needs the switches (on port rows, their aggregates), never the fabric's ports. */
function streamUrl() {
  return api.streamUrl({ metric: shownMetrics().join(','), ports: 'false' });
}

/**
 * What the page shows, so what the stream is filtered to: the chosen metric and the link state
 * (on port rows, the link-down rate, whose switch aggregate marks the map).
 */
function shownMetrics() {
  const links = state.portRows ? [PORT_LINK_DOWNED] : LINK_METRICS;
  return [state.metric, ...links].filter((m, i, all) => m && state.metrics.includes(m) && all.indexOf(m) === i);
}

function applySnapshot(snapshot, source) {
  const previous = state.snapshot;
  const isNew = !previous || previous.sequence !== snapshot.sequence || previous.sampledAt !== snapshot.sampledAt;
  state.snapshot = {
    sequence: snapshot.sequence,
    sampledAt: snapshot.sampledAt,
    collectedAt: snapshot.collectedAt,
    switches: mapOf(snapshot.switches),
    carriedOver: mapOf(snapshot.carriedOver),
    descriptions: mapOf(snapshot.descriptions),
  };
  state.ids = [...state.snapshot.switches.keys()];
  // a `ports` object (a server that lists ports whatever `ports=false` says) is not kept: only the
  // open switch's ports are shown, from its own ListMetrics
  if (isNew && previous) {
    const every = Date.parse(snapshot.sampledAt) - Date.parse(previous.sampledAt);
    if (every > 0) state.snapshotEveryMs = every;
  }
  if (source === 'stream' && state.health) {
    // a snapshot was just published, so a poll just succeeded: ingestion is up
    state.health = { ...state.health, status: 'UP' };
  }
  paint();
  updateFreshness();
  if (isNew) {
    if (state.portRows) refreshLinkDownPorts();
    refreshTop();
    if (source === 'stream') checkMetrics(); // a column may have appeared or gone
    if (state.selected) {
      refreshDetail();
      appendHistoryPoint();
    }
    awaitNextSnapshot(null);
  }
}

// ---- the snapshot's metrics -------------------------------------------------------------------
// The stream is filtered to what the page shows, so it says nothing of other columns, and it sends
// no event at all once a metric it is filtered to has left the snapshot (a new stream would be
// refused with 404). So the page re-reads the metric names (a one-switch ListMetrics: a few hundred
// bytes) on every new snapshot, when the stream is refused, and when no snapshot came for twice the
// usual time between two (then again at growing pauses, at most 30 s, while none comes).

/** Re-arms the silence timer: `delay` null after a snapshot, the previous delay doubled otherwise. */
function awaitNextSnapshot(delay) {
  clearTimeout(state.silenceTimer);
  const usual = state.snapshotEveryMs ?? 10000;
  state.silenceMs = delay ?? Math.max(2000, 2 * usual + 1000);
  state.silenceTimer = setTimeout(() => {
    checkMetrics();
    awaitNextSnapshot(Math.min(MAX_SILENCE_MS, state.silenceMs * 2));
  }, state.silenceMs);
}

async function checkMetrics() {
  const id = state.ids[0];
  if (id === undefined) return;
  const token = ++state.requests.metrics;
  let result;
  try {
    result = await api.listMetrics({ switch: id });
  } catch {
    return; // unreachable: the stream's state and the freshness panel say so
  }
  if (token !== state.requests.metrics || result.status !== 200 || !Array.isArray(result.body?.metrics)) return;
  const metrics = result.body.metrics;
  const shownBefore = shownMetrics().join(',');
  if (noteLayout(result.body)) {
    paint();
    if (state.portRows) refreshLinkDownPorts();
    refreshTop();
  }
  if (metrics.length === state.metrics.length && metrics.every((m, i) => m === state.metrics[i])) {
    // the stream follows the metrics shown: the layout decides which link metrics those are
    if (shownMetrics().join(',') !== shownBefore) changeMetric(state.metric, true);
    return;
  }
  state.metrics = metrics;
  if (!metrics.includes(state.metric)) {
    const gone = state.metric;
    const next = DEFAULT_METRICS.find((m) => metrics.includes(m)) ?? metrics[0];
    state.metricNote = `${gone} is no longer in the snapshot (the generator stopped sending it)`
      + (next ? `: showing ${next}.` : '.');
    fillMetricSelect(next);
    if (next) changeMetric(next, true);
    return;
  }
  fillMetricSelect(state.metric);
  // the stream follows the metrics shown: link_state or link_down_count may have come or gone
  if (shownMetrics().join(',') !== shownBefore) changeMetric(state.metric, true);
}

/**
 * Switch rows or port rows, from a body that lists the ports of its switches when the snapshot has
 * any (a one-switch ListMetrics; the map's bodies ask for none with `ports=false`). True when the
 * layout changed: the source was pointed at the other kind of endpoint.
 */
function noteLayout(body) {
  const portRows = Object.hasOwn(body, 'ports');
  if (portRows === state.portRows) return false;
  state.portRows = portRows;
  showLayout();
  return true;
}

function valueOf(id, metric = state.metric) {
  const value = own(state.snapshot.switches.get(id), metric);
  return value === undefined ? null : value;
}

function paint() {
  const snap = state.snapshot;
  const metric = state.metric;
  const scale = scaleOf(state.ids.map((id) => valueOf(id)));
  const down = state.portRows ? (id) => valueOf(id, PORT_LINK_DOWNED) > 0 : (id) => valueOf(id, 'link_state') === 0;
  heatmap.render({
    ids: state.ids,
    metric,
    sequence: snap.sequence,
    scale,
    value: (id) => valueOf(id),
    down,
    carried: (id) => snap.carriedOver.has(id),
    sampledAt: (id) => snap.carriedOver.get(id) ?? snap.sampledAt,
    description: (id) => snap.descriptions.get(id),
    downText: state.portRows ? 'a port\'s link went down since its previous sample' : 'link down',
  });
  paintLegend(scale);
  if (!state.portRows) paintLinkDown(down); // port rows: a list of ports, from TopPorts on each snapshot
  const downCount = state.ids.filter(down).length;
  const carried = snap.carriedOver.size;
  $('heatmap').setAttribute('aria-label', `Fabric heatmap of ${metric}${unitOf(metric) ? ` (${unitOf(metric)})` : ''} `
    + `for ${state.ids.length} switches` + (state.portRows ? ' (aggregates of their ports)' : '')
    + (scale.min === null ? ', no readings'
      : `, from ${formatValue(metric, scale.min)} (dark purple) to ${formatValue(metric, scale.max)} (yellow)`)
    + (state.portRows ? `; ${downCount} switch${downCount === 1 ? '' : 'es'} with a port whose link went down`
      : `; ${downCount} link${downCount === 1 ? '' : 's'} down`)
    + `; ${carried} carried over`
    + (state.stale ? '; the data is stale' : ''));
  $('heatmap-metric').textContent = `· ${metric}`;
}

function paintLegend(scale) {
  const bar = $('legend-bar');
  const ctx = bar.getContext('2d');
  for (let x = 0; x < bar.width; x++) {
    ctx.fillStyle = css(viridis(x / (bar.width - 1)));
    ctx.fillRect(x, 0, 1, bar.height);
  }
  const legend = $('legend');
  const metric = state.metric;
  legend.dataset.min = scale.min === null ? '' : String(scale.min);
  legend.dataset.max = scale.max === null ? '' : String(scale.max);
  $('legend-min').textContent = scale.min === null ? 'no readings' : formatValue(metric, scale.min);
  $('legend-max').textContent = scale.max === null ? '' : formatValue(metric, scale.max);
  $('legend-mid').textContent = scale.min === null || scale.min === scale.max ? ''
    : formatValue(metric, (scale.min + scale.max) / 2);
  bar.setAttribute('aria-label', scale.min === null ? 'colour scale: no readings'
    : `colour scale from ${formatValue(metric, scale.min)} (dark purple) to ${formatValue(metric, scale.max)} (yellow)`);
}

function switchButton(id, text, detail) {
  const item = document.createElement('li');
  item.dataset.switch = id;
  const button = document.createElement('button');
  button.type = 'button';
  const name = document.createElement('span');
  name.textContent = id;
  const value = document.createElement('span');
  value.textContent = text;
  button.append(name, value);
  button.setAttribute('aria-label', `${id}, ${detail ?? text}: show details`);
  button.addEventListener('click', () => openDetail(id, true));
  item.append(button);
  return item;
}

function emptyItem(text) {
  const item = document.createElement('li');
  item.className = 'empty';
  item.textContent = text;
  return item;
}

function paintLinkDown(down) {
  const list = $('link-down');
  if (!state.metrics.includes('link_state')) {
    list.replaceChildren(emptyItem('the generator sends no link_state'));
    $('down-count').textContent = '–';
    return;
  }
  const ids = state.ids.filter(down);
  $('down-count').textContent = String(ids.length);
  list.replaceChildren(...(ids.length === 0 ? [emptyItem('every link is up')]
    : ids.map((id) => {
      const episodes = valueOf(id, 'link_down_count');
      const count = episodes === null ? '' : `${formatNumber(episodes)} episode${episodes === 1 ? '' : 's'}`;
      return switchButton(id, count || 'down', count ? `link down, ${count} since start` : 'link down');
    })));
}

/** A port of a port list: its switch's GUID and port number, the description, a value; opens the switch. */
function portButton(row, text, detail) {
  const item = document.createElement('li');
  item.dataset.switch = row.switch;
  item.dataset.port = String(row.port);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'port-button';
  const name = document.createElement('span');
  name.className = 'port-name';
  name.textContent = row.switch;
  const value = document.createElement('span');
  value.className = 'port-value';
  value.textContent = text;
  const where = document.createElement('span');
  where.className = 'port-where';
  const number = document.createElement('span');
  number.className = 'port-number';
  number.textContent = `port ${row.port}`;
  where.append(number);
  if (row.description) {
    const description = document.createElement('span');
    description.className = 'port-description';
    description.textContent = row.description;
    where.append(' · ', description);
  }
  button.append(name, value, where);
  button.setAttribute('aria-label', `${row.switch} port ${row.port}${row.description ? ` (${row.description})` : ''}, `
    + `${detail ?? text}: show its switch`);
  button.addEventListener('click', () => openDetail(row.switch, true, row.port));
  item.append(button);
  return item;
}

/** The port list's problem in words (a 404 no-ports, a timeout…) instead of its rows. */
function portListFailed(list, note, what, result) {
  list.replaceChildren();
  note.hidden = false;
  note.textContent = `${what} unavailable (${describeFailure(result)}).`;
}

/**
 * Port rows: the ports whose link went down since their previous sample (PORT_LINK_DOWNED above
 * 0), from TopPorts, which ranks them once per snapshot on the server: the page never scans the
 * fabric's ports. The first 50 (the rest of such an answer is ports at 0); when all 50 went down,
 * up to TopPorts' 1,000 at once; more are counted as "1000+".
 */
async function refreshLinkDownPorts(limit = PORTS_DOWN_FIRST) {
  const token = ++state.requests.down;
  const list = $('link-down');
  if (!state.metrics.includes(PORT_LINK_DOWNED)) {
    $('down-count').textContent = '–';
    list.replaceChildren(emptyItem(state.metrics.includes(PORT_LINK_DOWNED_COUNTER)
      ? `${PORT_LINK_DOWNED_COUNTER} has no rate (it is not a counter in METRICS_COUNTERS)`
      : `the source sends no ${PORT_LINK_DOWNED_COUNTER}`));
    return;
  }
  let result;
  try {
    result = await api.topPorts(PORT_LINK_DOWNED, 'desc', limit);
  } catch (error) {
    result = { status: 0, body: { detail: error.message } };
  }
  if (token !== state.requests.down || !state.portRows) return;
  if (result.status !== 200) {
    $('down-count').textContent = '–';
    list.replaceChildren(emptyItem(`Ports unavailable (${describeFailure(result)}).`));
    return;
  }
  const rows = (result.body.ports ?? []).filter((row) => row.value > 0);
  if (rows.length === limit && limit < PORTS_DOWN_LIMIT) {
    refreshLinkDownPorts(PORTS_DOWN_LIMIT);
    return;
  }
  list.dataset.sequence = String(result.body.sequence);
  $('down-count').textContent = rows.length >= PORTS_DOWN_LIMIT ? `${PORTS_DOWN_LIMIT}+` : String(rows.length);
  list.replaceChildren(...(rows.length === 0 ? [emptyItem('no link went down since the previous sample')]
    : rows.map((row) => portButton(row, 'went down',
      `its link went down since the previous sample (${formatValue(PORT_LINK_DOWNED, row.value)})`))));
}

// ---- top 10 (TopSwitches) ---------------------------------------------------------------------

async function refreshTop() {
  if (state.portRows) refreshTopPorts();
  const token = ++state.requests.top;
  const metric = state.metric;
  $('top-metric').textContent = `· ${metric}`;
  let result;
  try {
    result = await api.topSwitches(metric, state.order);
  } catch (error) {
    result = { status: 0, body: { detail: error.message } };
  }
  if (token !== state.requests.top) return; // a newer request is on its way
  const list = $('top');
  const note = $('top-note');
  if (result.status !== 200) {
    list.replaceChildren();
    note.hidden = false;
    note.textContent = `Top switches unavailable (${describeFailure(result)}).`;
    return;
  }
  note.hidden = true;
  const rows = result.body.switches ?? [];
  list.dataset.metric = result.body.metric;
  list.dataset.sequence = String(result.body.sequence);
  list.replaceChildren(...(rows.length === 0 ? [emptyItem('no switch has a reading')]
    : rows.map((row) => switchButton(row.switch, formatValue(metric, row.value)))));
}

// ---- top 10 ports (TopPorts, port rows only) ---------------------------------------------------

async function refreshTopPorts() {
  const token = ++state.requests.topPorts;
  const metric = state.metric;
  $('top-ports-metric').textContent = `· ${metric}`;
  let result;
  try {
    result = await api.topPorts(metric, state.order);
  } catch (error) {
    result = { status: 0, body: { detail: error.message } };
  }
  if (token !== state.requests.topPorts || !state.portRows) return;
  const list = $('top-ports');
  const note = $('top-ports-note');
  if (result.status !== 200) {
    portListFailed(list, note, 'Top ports', result);
    return;
  }
  note.hidden = true;
  const rows = result.body.ports ?? [];
  list.dataset.metric = result.body.metric;
  list.dataset.sequence = String(result.body.sequence);
  list.replaceChildren(...(rows.length === 0 ? [emptyItem('no port has a reading')]
    : rows.map((row) => portButton(row, formatValue(metric, row.value)))));
}

// ---- switch detail and its history ------------------------------------------------------------

/** `port`: on port rows, the port to point out among the switch's (opened from a port list). */
function openDetail(id, moveFocus, port = null) {
  const again = state.selected === id;
  state.selected = id;
  state.selectedPort = port;
  state.revealPort = port !== null;
  heatmap.select(id);
  const panel = $('detail');
  panel.hidden = false;
  panel.dataset.switch = id;
  if (port === null) delete panel.dataset.port;
  else panel.dataset.port = String(port);
  $('detail-title').textContent = id;
  if (!again) {
    // the previous switch's ports and description must not pass for this one's while it loads
    portTable.clear();
    $('detail-description').hidden = true;
  }
  writeHash();
  refreshDetail();
  loadHistory();
  if (moveFocus) $('detail-title').focus();
}

function closeDetail() {
  state.selected = null;
  state.selectedPort = null;
  heatmap.select(null);
  $('detail').hidden = true;
  delete $('detail').dataset.switch;
  writeHash();
  $('heatmap').focus();
}

async function refreshDetail() {
  const id = state.selected;
  const token = ++state.requests.detail;
  let result;
  try {
    result = await api.listMetrics({ switch: id });
  } catch (error) {
    result = { status: 0, body: { detail: error.message } };
  }
  if (token !== state.requests.detail || id !== state.selected) return;
  const rows = $('detail-metrics');
  const values = result.status === 200 ? own(result.body.switches, id) : undefined;
  if (!values) {
    rows.replaceChildren();
    portTable.clear();
    $('detail-sampled').textContent = result.status === 404 || result.status === 200
      ? `${id} is not in the current snapshot.` : `Details unavailable (${describeFailure(result)}).`;
    return;
  }
  updateOffset(result);
  const carried = own(result.body.carriedOver, id);
  $('detail-sampled').textContent = carried
    ? `Carried over: the latest payload had no usable row for ${id}; these values were sampled at ${formatInstant(carried)}.`
    : `Sampled at ${formatInstant(result.body.sampledAt)} (snapshot ${result.body.sequence}).`;
  rows.replaceChildren(...result.body.metrics.map((metric) => {
    const tr = document.createElement('tr');
    tr.dataset.metric = metric;
    if (metric === state.metric) tr.className = 'chosen';
    const name = document.createElement('th');
    name.scope = 'row';
    name.append(...breakable(metric));
    const value = document.createElement('td');
    value.textContent = formatValue(metric, own(values, metric) ?? null);
    tr.append(name, value);
    return tr;
  }));
  const description = own(result.body.descriptions, id);
  $('detail-description').hidden = !description;
  $('detail-description').textContent = description ?? '';
  if (Object.hasOwn(result.body, 'ports')) paintPorts(id, own(result.body.ports, id));
}

/** The open switch's ports for the chosen metric, from its one-switch ListMetrics (port rows). */
function paintPorts(id, ports) {
  const metric = state.metric;
  $('ports-metric').textContent = `· ${metric}`;
  const entries = Object.entries(ports ?? {}).map(([port, values]) => {
    const value = own(values, metric);
    return { port: Number(port), value: value === undefined ? null : value };
  });
  portTable.render({ metric, ports: entries, highlight: state.selectedPort });
  $('detail-ports').dataset.switch = id;
  if (state.revealPort) {
    state.revealPort = false;
    portTable.reveal(state.selectedPort);
  }
}

/** A long name (UFM's `Infiniband_LinkDowned_u_Errors_per_second`) that may wrap after its underscores. */
function breakable(name) {
  return name.split(/(?<=_)/).flatMap((part, i) => (i === 0 ? [part] : [document.createElement('wbr'), part]));
}

function isoDurationMs(text) {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(text ?? '');
  if (!match) return null;
  return ((Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)) * 60 + Number(match[3] ?? 0)) * 1000;
}

async function loadHistory() {
  const id = state.selected;
  const metric = state.metric;
  const token = ++state.requests.history;
  const caption = $('sparkline-caption');
  let result;
  try {
    result = await api.history(id, metric);
  } catch (error) {
    result = { status: 0, body: { detail: error.message } };
  }
  if (token !== state.requests.history) return;
  if (result.status !== 200) {
    state.history = { id, metric, points: [], retentionMs: null };
    $('sparkline').replaceChildren();
    $('sparkline').dataset.points = '0';
    caption.textContent = `History unavailable (${describeFailure(result)}).`;
    return;
  }
  state.history = { id, metric, points: result.body.points ?? [], retentionMs: isoDurationMs(result.body.retention) };
  drawHistory();
}

function drawHistory() {
  const { metric, points, retentionMs } = state.history;
  const span = retentionMs ? `, last ${formatAge(retentionMs)}` : '';
  $('sparkline-caption').textContent = `History${span}. ` + drawSparkline($('sparkline'), metric, points);
}

/** A new snapshot adds one point, as the server's history does: not for a carried-over switch. */
function appendHistoryPoint() {
  const history = state.history;
  const snap = state.snapshot;
  if (history.id !== state.selected || history.metric !== state.metric || history.retentionMs === null) return;
  if (!snap.switches.has(history.id) || snap.carriedOver.has(history.id)) return;
  const last = history.points[history.points.length - 1];
  if (last && Date.parse(last.sampledAt) >= Date.parse(snap.sampledAt)) return;
  history.points.push({ sampledAt: snap.sampledAt, value: valueOf(history.id) });
  const oldest = Date.parse(snap.sampledAt) - history.retentionMs;
  while (history.points.length > 1 && Date.parse(history.points[0].sampledAt) < oldest) history.points.shift();
  drawHistory();
}

// ---- freshness ------------------------------------------------------------------------------

function updateOffset(result) {
  const age = Number(result.headers?.get('X-Data-Age-Ms'));
  const sampledAt = Date.parse(result.body?.sampledAt);
  if (Number.isFinite(age) && Number.isFinite(sampledAt)) {
    // the server's "now" when it answered: ages are measured on its clock, not on this browser's
    state.offsetMs = sampledAt + age - Date.now();
  }
}

async function loadHealth() {
  try {
    const result = await api.health();
    const ingestion = result.body?.components?.ingestion;
    if (ingestion) {
      state.health = ingestion;
      const limit = Number(ingestion.details?.staleAfterMs);
      if (Number.isFinite(limit) && limit > 0) state.staleAfterMs = limit;
      state.healthNote = '';
    } else {
      state.healthNote = `health unavailable (${describeFailure(result)})`;
    }
  } catch (error) {
    state.healthNote = `health unavailable (${error.message})`;
  }
  updateFreshness();
}

function updateFreshness() {
  const snap = state.snapshot;
  const panel = $('freshness');
  const ingestion = state.health;
  const down = ingestion?.status === 'DOWN';
  panel.dataset.stream = state.stream;
  setText('fresh-stream', state.stream === 'open' ? 'connected: updates arrive as snapshots are published'
    : `${state.stream}${state.streamDetail ? `: ${state.streamDetail}` : ''}`);
  setText('fresh-ingestion', ingestionText());
  if (!snap) {
    panel.dataset.state = 'waiting';
    document.body.dataset.state = 'waiting';
    setText('badge', 'Waiting for data');
    return;
  }
  const age = Date.now() + state.offsetMs - Date.parse(snap.sampledAt);
  const tooOld = state.staleAfterMs !== null && age > state.staleAfterMs;
  const stale = down || tooOld;
  if (stale && !state.stale) loadHealth(); // say why, once, when it turns stale
  const changed = stale !== state.stale;
  state.stale = stale;
  if (changed && stale) document.body.dataset.staleSince = String(Date.now());
  if (!stale) delete document.body.dataset.staleSince;
  clearTimeout(state.staleTimer);
  if (!stale && state.staleAfterMs !== null) {
    // turn stale the moment the limit passes, not at the next tick of the age display
    state.staleTimer = setTimeout(updateFreshness, Math.max(0, state.staleAfterMs - age) + 10);
  }
  panel.dataset.state = stale ? 'stale' : 'fresh';
  document.body.dataset.state = stale ? 'stale' : 'fresh';
  setText('fresh-sampled', formatInstant(snap.sampledAt));
  setText('fresh-age', formatAge(age) + (state.staleAfterMs === null ? ' (stale limit unknown)'
    : ` (stale after ${formatAge(state.staleAfterMs)})`));
  setText('fresh-sequence', `#${snap.sequence}, ${state.ids.length} switches`);
  const carried = snap.carriedOver.size;
  setText('fresh-carried', carried === 0 ? 'none'
    : `${carried} switch${carried === 1 ? '' : 'es'} show older values (black corner, top left, on the map)`);

  // the banner is an alert: its words change with the state, never with the ticking age
  const reasons = [];
  if (tooOld) reasons.push(`no snapshot newer than ${formatAge(state.staleAfterMs)} (STALE_AFTER)`);
  if (down) reasons.push(`ingestion is DOWN${ingestion.details?.lastOutcome ? ` (last poll: ${ingestion.details.lastOutcome})` : ''}`);
  setText('fresh-state', stale ? `STALE: ${reasons.join('; ')}` : 'fresh');
  setText('badge', stale ? 'Stale data' : state.stream === 'open' ? 'Live' : 'Fresh, not live');
  const banner = $('stale-banner');
  banner.hidden = !stale;
  if (stale) {
    const error = ingestion?.details?.lastError;
    setText('stale-banner', `Stale data: ${reasons.join('; ')}.${error ? ` Last error: ${error}.` : ''} `
      + 'The map shows the last snapshot received.');
  }
  if (changed) paint();
}

function ingestionText() {
  if (!state.health) return state.healthNote || '–';
  const details = state.health.details ?? {};
  const parts = [state.health.status];
  if (details.lastOutcome) parts.push(`last poll ${details.lastOutcome}`);
  if (details.consecutiveFailures) parts.push(`${details.consecutiveFailures} failures in a row`);
  return parts.join(', ');
}

function onStreamState(streamState, detail) {
  const reconnected = streamState === 'open' && state.stream !== 'open' && state.stream !== 'connecting';
  state.stream = streamState;
  state.streamDetail = detail ?? '';
  if (reconnected) loadHealth();
  updateFreshness();
}

// ---- controls and start-up --------------------------------------------------------------------

/** Switch rows or port rows: the parts only port rows have, and the words that differ. */
function showLayout() {
  const ports = state.portRows;
  document.body.dataset.layout = ports ? 'ports' : 'switches';
  $('aggregate-note').hidden = !ports;
  $('top-ports-panel').hidden = !ports;
  $('detail-ports').hidden = !ports;
  setText('top-what', ports ? 'Top 10 switches' : 'Top 10');
  setText('detail-value-head', ports ? 'Switch aggregate' : 'Value');
  if (!ports) {
    portTable.clear();
    $('top-ports').replaceChildren();
    $('detail-description').hidden = true;
  }
}

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const port = Number.parseInt(params.get('port') ?? '', 10);
  return { metric: params.get('metric'), switch: params.get('switch'), port: Number.isInteger(port) ? port : null };
}

function writeHash() {
  const params = new URLSearchParams();
  if (state.metric) params.set('metric', state.metric);
  if (state.selected) params.set('switch', state.selected);
  if (state.selected && state.selectedPort !== null) params.set('port', String(state.selectedPort));
  history.replaceState(null, '', `#${params}`);
}

function fillMetricSelect(chosen) {
  const select = $('metric');
  select.replaceChildren(...state.metrics.map((metric) => {
    const option = document.createElement('option');
    option.value = metric;
    option.textContent = unitOf(metric) ? `${metric} (${unitOf(metric)})` : metric;
    return option;
  }));
  select.value = chosen;
  select.disabled = false;
  const note = $('metric-note');
  note.hidden = !state.metricNote;
  setText('metric-note', state.metricNote);
}

/** `byPage`: the page changed it (the chosen metric left the snapshot), not the user. */
async function changeMetric(metric, byPage = false) {
  if (!byPage && state.metricNote) {
    state.metricNote = '';
    $('metric-note').hidden = true;
  }
  state.metric = metric;
  writeHash();
  const token = ++state.requests.metric;
  // the stream carries only what is shown: fetch the new metric now, then follow it live
  const result = await api.listMetrics({ metric: shownMetrics().join(','), ports: 'false' })
    .catch((error) => ({ status: 0, body: { detail: error.message } }));
  if (token !== state.requests.metric) return;
  if (result.status === 200) {
    updateOffset(result);
    applySnapshot(result.body, 'fetch');
  } else {
    paint();
  }
  refreshTop();
  if (state.selected) {
    refreshDetail();
    loadHistory();
  }
  stream.restart();
}

async function loadFirstSnapshot() {
  for (let attempt = 0; ; attempt++) {
    let result;
    try {
      result = await api.listMetrics({ ports: 'false' });
    } catch (error) {
      result = { status: 0, body: { detail: error.message }, headers: new Headers() };
    }
    if (result.status === 200) return result;
    // Before the first snapshot (503 with Retry-After), or while the service is unreachable,
    // ask again: only until there is something to show; afterwards the stream brings every update.
    const retryAfter = Number(result.headers?.get('Retry-After'));
    const delayMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.min(30000, 1000 * 2 ** attempt);
    $('fresh-state').textContent = result.status === 503
      ? 'waiting for the first snapshot from the generator' : `service unreachable (${describeFailure(result)})`;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

/** The layout, before anything is painted: from one switch's ListMetrics (its ports, on port rows). */
async function readLayout(body) {
  if (Object.hasOwn(body, 'ports')) {
    noteLayout(body);
    return;
  }
  const first = Object.keys(body.switches ?? {})[0];
  let result = null;
  if (first !== undefined) {
    result = await api.listMetrics({ switch: first }).catch(() => null);
  }
  // no switch, or no answer: switch rows until the next snapshot's one-switch ListMetrics says otherwise
  noteLayout(result?.status === 200 ? result.body : {});
}

async function boot() {
  $('metric').addEventListener('change', (e) => changeMetric(e.target.value));
  $('order').addEventListener('change', (e) => { state.order = e.target.value; refreshTop(); });
  $('detail-close').addEventListener('click', closeDetail);
  $('detail').addEventListener('keydown', (e) => { if (e.key === 'Escape') closeDetail(); });
  setInterval(updateFreshness, 1000); // the age ticks on the page's own clock; nothing is fetched

  loadHealth();
  const first = await loadFirstSnapshot();
  state.metrics = first.body.metrics;
  const wanted = readHash();
  state.metric = state.metrics.includes(wanted.metric) ? wanted.metric
    : DEFAULT_METRICS.find((m) => state.metrics.includes(m)) ?? state.metrics[0];
  fillMetricSelect(state.metric);
  await readLayout(first.body);
  updateOffset(first);
  applySnapshot(first.body, 'fetch');
  if (wanted.switch && state.ids.includes(wanted.switch)) openDetail(wanted.switch, false, state.portRows ? wanted.port : null);
  stream.start();
}

boot();
