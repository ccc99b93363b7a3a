// The open switch's ports for the chosen metric (port rows only): a table sorted by port number or
// by value, each value with a bar on the switch's own scale (the per-port strip). Only the open
// switch's ports are ever in the DOM (a switch has tens of ports; the fabric may have 200,000).
import { viridis, css, scaleOf } from './viridis.js';
import { formatValue } from './format.js';

export class PortTable {
  /**
   * @param {{rows: Element, summary: Element, byPort: HTMLButtonElement, byValue: HTMLButtonElement}} parts
   */
  constructor(parts) {
    this.parts = parts;
    this.sort = { key: 'port', descending: false };
    this.model = null;
    parts.byPort.addEventListener('click', () => this.sortBy('port'));
    parts.byValue.addEventListener('click', () => this.sortBy('value'));
  }

  /** Port first ascending, value first descending (the busiest port on top); a second click reverses. */
  sortBy(key) {
    this.sort = this.sort.key === key ? { key, descending: !this.sort.descending }
      : { key, descending: key === 'value' };
    if (this.model) this.render(this.model);
  }

  /**
   * model: {metric, ports: [{port: number, value: number|null}], highlight: number|null}
   */
  render(model) {
    this.model = model;
    const { rows, summary, byPort, byValue } = this.parts;
    const { metric, ports, highlight } = model;
    const scale = scaleOf(ports.map((p) => p.value));
    const { key, descending } = this.sort;
    const sign = descending ? -1 : 1;
    const sorted = [...ports].sort((a, b) => {
      if (key === 'value') {
        // no reading sorts last in either order, as it has no place on the scale
        const aNull = typeof a.value !== 'number';
        const bNull = typeof b.value !== 'number';
        if (aNull !== bNull) return aNull ? 1 : -1;
        if (!aNull && a.value !== b.value) return sign * (a.value - b.value);
        return a.port - b.port;
      }
      return sign * (a.port - b.port);
    });
    for (const [button, column] of [[byPort, 'port'], [byValue, 'value']]) {
      const header = button.parentElement;
      header.setAttribute('aria-sort', key !== column ? 'none' : descending ? 'descending' : 'ascending');
      button.textContent = (column === 'port' ? 'Port' : 'Value') + (key !== column ? '' : descending ? ' ▼' : ' ▲');
    }
    rows.dataset.metric = metric;
    rows.dataset.sort = `${key}-${descending ? 'desc' : 'asc'}`;
    rows.replaceChildren(...sorted.map(({ port, value }) => {
      const tr = document.createElement('tr');
      tr.dataset.port = String(port);
      if (port === highlight) tr.className = 'chosen';
      const name = document.createElement('th');
      name.scope = 'row';
      name.textContent = String(port);
      const cell = document.createElement('td');
      const inner = document.createElement('div');
      inner.className = 'port-cell';
      const bar = document.createElement('span');
      bar.className = 'port-bar';
      bar.setAttribute('aria-hidden', 'true');
      if (typeof value === 'number') {
        const t = scale.t(value);
        bar.style.width = `${Math.max(1, Math.round(t * 60))}%`; // the rest of the cell is the value's
        bar.style.background = css(viridis(t));
      } else {
        bar.classList.add('port-bar-null');
      }
      const text = document.createElement('span');
      text.className = 'port-value';
      text.textContent = formatValue(metric, value);
      inner.append(bar, text);
      cell.append(inner);
      tr.append(name, cell);
      return tr;
    }));
    const missing = ports.filter((p) => typeof p.value !== 'number').length;
    let text = `${ports.length} port${ports.length === 1 ? '' : 's'}`;
    if (scale.min !== null) {
      text += `, from ${formatValue(metric, scale.min)} to ${formatValue(metric, scale.max)}`;
    }
    if (missing) text += `; ${missing} without a reading`;
    summary.textContent = `${text}.`;
  }

  /** Scrolls the highlighted port into view (opened from a port list). */
  reveal(port) {
    const row = this.parts.rows.querySelector(`tr[data-port="${Number(port)}"]`);
    if (row) row.scrollIntoView({ block: 'nearest' });
  }

  clear() {
    this.model = null;
    this.parts.rows.replaceChildren();
    this.parts.summary.textContent = '';
  }
}
