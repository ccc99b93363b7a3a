// The public API, as any client sees it. Every call has a timeout covering the whole exchange.
const TIMEOUT_MS = 10000;

/** {status, ok, body, headers}; body is the parsed JSON (a problem body on errors), or null. */
export async function getJson(url, timeoutMs = TIMEOUT_MS) {
  const response = await fetch(url, {
    headers: { Accept: 'application/json' },
    cache: 'no-cache',
    signal: AbortSignal.timeout(timeoutMs),
  });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  return { status: response.status, ok: response.ok, body, headers: response.headers };
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  listMetrics: (params = {}) => getJson(`telemetry/ListMetrics${query(params)}`),
  topSwitches: (metric, order, limit = 10) => getJson(`telemetry/TopSwitches${query({ metric, order, limit })}`),
  /** Port rows only (a switch-row snapshot answers 404 no-ports): {ports: [{switch, port, description?, value}]}. */
  topPorts: (metric, order, limit = 10) => getJson(`telemetry/TopPorts${query({ metric, order, limit })}`),
  history: (switchId, metric) => getJson(`telemetry/GetMetricHistory${query({ switch: switchId, metric })}`),
  health: () => getJson('actuator/health'),
  streamUrl: (params = {}) => `telemetry/stream${query(params)}`,
};

/** What went wrong, in one line, from a problem body when there is one. */
export function describeFailure(result) {
  if (result.body && result.body.detail) return `${result.status}: ${result.body.detail}`;
  return `HTTP ${result.status}`;
}
