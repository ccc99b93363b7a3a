// Numbers, units and times as the page shows them.
const UNITS = {
  bandwidth_gbps: 'Gb/s',
  utilization_pct: '%',
  latency_us: 'µs',
  packet_errors: 'packets',
  dropped_packets: 'packets',
  link_down_count: 'episodes',
  temperature_c: '°C',
  rx_bytes: 'bytes',
  tx_bytes: 'bytes',
};

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const TINY = new Intl.NumberFormat('en-US', { notation: 'scientific', maximumSignificantDigits: 3 });

/** Three decimals, or three significant digits for a value they would show as 0 (UFM's 5.48295e-7). */
const number = (value) => (value !== 0 && Math.abs(value) < 0.0005 ? TINY.format(value) : NUMBER.format(value));

/** UFM Telemetry names carry their unit after `_u_` (`Infiniband_MBOut_u_Gb`, `hist0_u_count`). */
const UFM_UNITS = {
  Gb: 'Gb',
  Gbps: 'Gb/s',
  Percent: '%',
  Packets: 'packets',
  Errors: 'errors',
  Drops: 'drops',
  Ticks: 'ticks',
  count: '',
};
const UFM_NAME = /_u_([A-Za-z]+)$/;

// own keys only: a column named `constructor` has no unit, not Object's constructor
const unitOfColumn = (column) => {
  if (Object.hasOwn(UNITS, column)) return UNITS[column];
  const ufm = UFM_NAME.exec(column);
  return ufm && Object.hasOwn(UFM_UNITS, ufm[1]) ? UFM_UNITS[ufm[1]] : undefined;
};

export function unitOf(metric) {
  if (metric.endsWith('_per_second')) {
    const base = unitOfColumn(metric.slice(0, -'_per_second'.length));
    return base ? `${base}/s` : '/s';
  }
  return unitOfColumn(metric) ?? '';
}

/** A value with its unit; null (no reading) says so instead of pretending to be 0. */
export function formatValue(metric, value) {
  if (value === null || value === undefined) return 'no reading';
  if (metric === 'link_state') return value === 1 ? 'up (1)' : value === 0 ? 'down (0)' : String(value);
  let unit = unitOf(metric);
  if (value === 1 && /^(packets|episodes|bytes|errors|drops|ticks)$/.test(unit)) unit = unit.slice(0, -1);
  return unit ? `${number(value)} ${unit}` : number(value);
}

export function formatNumber(value) {
  return value === null || value === undefined ? '–' : number(value);
}

/** "4 s", "2 min 5 s", "1 h 3 min". */
export function formatAge(ms) {
  if (!Number.isFinite(ms)) return '–';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  return m % 60 === 0 ? `${Math.floor(m / 60)} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The ISO instant as the API wrote it (UTC, milliseconds): unambiguous on any screen. */
export function formatInstant(iso) {
  return iso ? iso.replace('T', ' ').replace('Z', ' UTC') : '–';
}
