// The fabric heatmap: one canvas, one cell per switch in the generator's order, left to right and
// top to bottom. A canvas, not a DOM node per cell, so 10,000 switches stay cheap to paint.
// Markings live in the cells' corners, so a cell's centre always shows its colour.
import { viridis, css } from './viridis.js';
import { formatValue, formatInstant } from './format.js';

const NULL_COLOUR = 'rgb(208, 208, 208)';
const MIN_CELL = 3;
const MAX_CELL = 48;

export class Heatmap {
  constructor(canvas, tooltip, announcer, onSelect) {
    this.canvas = canvas;
    this.tooltip = tooltip;
    this.announcer = announcer;
    this.onSelect = onSelect;
    this.model = null;
    this.layout = { columns: 1, cell: MAX_CELL, gap: 1, rows: 0 };
    this.hover = -1;
    this.focus = -1;
    this.selected = null;

    new ResizeObserver(() => {
      this.draw();
      // the cells moved: so does the tooltip, or it would hang outside a narrowed page
      if (!this.tooltip.hidden) this.showTip(this.hover >= 0 ? this.hover : this.focused() ? this.focus : -1);
    }).observe(canvas.parentElement);
    canvas.addEventListener('mousemove', (e) => this.pointAt(e.offsetX, e.offsetY));
    canvas.addEventListener('mouseleave', () => { this.hover = -1; this.showTip(this.focused() ? this.focus : -1); });
    canvas.addEventListener('click', (e) => {
      const index = this.indexAt(e.offsetX, e.offsetY);
      if (index >= 0) {
        this.focus = index;
        this.onSelect(this.model.ids[index]);
      }
    });
    canvas.addEventListener('focus', () => {
      if (!this.model || this.model.ids.length === 0) return;
      if (this.focus < 0) this.focus = 0;
      this.draw();
      this.showTip(this.focus, true);
    });
    canvas.addEventListener('blur', () => { this.showTip(-1); this.draw(); });
    canvas.addEventListener('keydown', (e) => this.key(e));
  }

  /**
   * model: {ids, metric, value(id), carried(id) -> sampledAt|undefined, down(id) -> bool, sampledAt(id), scale,
   *         description(id) -> string|undefined (port rows' node_description), downText (what down(id) means)}
   */
  render(model) {
    const previous = this.model && this.focus >= 0 ? this.model.ids[this.focus] : null;
    this.model = model;
    if (previous !== null) {
      const index = model.ids.indexOf(previous);
      this.focus = index >= 0 ? index : Math.min(this.focus, model.ids.length - 1);
    }
    this.draw();
    const tip = this.hover >= 0 ? this.hover : this.focused() ? this.focus : -1;
    if (tip >= 0) this.showTip(tip);
  }

  select(id) {
    this.selected = id;
    this.draw();
  }

  focused() {
    return document.activeElement === this.canvas;
  }

  computeLayout(width, count) {
    const target = width * Math.max(200, Math.min(560, width * 0.55));
    const ideal = Math.floor(Math.sqrt(target / Math.max(1, count)));
    const cell = Math.max(MIN_CELL, Math.min(MAX_CELL, ideal));
    const columns = Math.max(1, Math.floor(width / cell));
    return { columns, cell, gap: cell >= 8 ? 1 : 0, rows: Math.ceil(count / columns) };
  }

  draw() {
    const started = performance.now();
    const canvas = this.canvas;
    const width = Math.floor(canvas.parentElement.clientWidth);
    const model = this.model;
    const count = model ? model.ids.length : 0;
    const layout = this.computeLayout(width, count);
    this.layout = layout;
    const height = Math.max(layout.rows * layout.cell, 40);
    const ratio = window.devicePixelRatio || 1;
    canvas.style.height = `${height}px`;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    Object.assign(canvas.dataset, {
      count: String(count), columns: String(layout.columns), cell: String(layout.cell),
      metric: model ? model.metric : '', sequence: model ? String(model.sequence) : '',
    });
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    if (!model) return;

    const { columns, cell, gap } = layout;
    const size = cell - gap;
    const colours = new Map();
    for (let i = 0; i < count; i++) {
      const id = model.ids[i];
      const value = model.value(id);
      const x = (i % columns) * cell;
      const y = Math.floor(i / columns) * cell;
      let fill = NULL_COLOUR;
      if (typeof value === 'number') {
        const t = model.scale.t(value);
        const key = Math.round(t * 1023);
        fill = colours.get(key);
        if (!fill) {
          fill = css(viridis(key / 1023));
          colours.set(key, fill);
        }
      }
      ctx.fillStyle = fill;
      ctx.fillRect(x, y, size, size);
      if (size >= 8) {
        // white and black together: visible on the darkest and the brightest colour of the map
        if (model.down(id)) this.corner(ctx, x + size, y + size, -Math.ceil(size * 0.45), '#fff', '#000');
        if (model.carried(id)) this.corner(ctx, x, y, Math.ceil(size * 0.45), '#000', '#fff');
      }
    }
    const selected = this.selected === null ? -1 : model.ids.indexOf(this.selected);
    if (selected >= 0) this.outline(ctx, selected, '#d7263d', 3);
    if (this.focused() && this.focus >= 0) this.outline(ctx, this.focus, '#0b57d0', 2);
    canvas.dataset.paintMs = (performance.now() - started).toFixed(1);
  }

  // A right triangle in a corner: (x, y) is the corner, d the signed leg length.
  corner(ctx, x, y, d, fill, edge) {
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + d, y);
    ctx.lineTo(x, y + d);
    ctx.closePath();
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = edge;
    ctx.stroke();
  }

  outline(ctx, index, colour, width) {
    const { columns, cell, gap } = this.layout;
    const x = (index % columns) * cell;
    const y = Math.floor(index / columns) * cell;
    ctx.lineWidth = width;
    ctx.strokeStyle = '#fff';
    ctx.strokeRect(x - 1, y - 1, cell - gap + 2, cell - gap + 2);
    ctx.strokeStyle = colour;
    ctx.strokeRect(x + 0.5, y + 0.5, cell - gap - 1, cell - gap - 1);
  }

  indexAt(x, y) {
    if (!this.model) return -1;
    const { columns, cell } = this.layout;
    const column = Math.floor(x / cell);
    const row = Math.floor(y / cell);
    if (column < 0 || column >= columns || row < 0) return -1;
    const index = row * columns + column;
    return index < this.model.ids.length ? index : -1;
  }

  pointAt(x, y) {
    this.hover = this.indexAt(x, y);
    this.showTip(this.hover);
  }

  describe(index) {
    const model = this.model;
    const id = model.ids[index];
    const parts = [`${id}: ${model.metric} ${formatValue(model.metric, model.value(id))}`];
    const description = model.description ? model.description(id) : undefined;
    if (description) parts.push(description);
    parts.push(`sampled ${formatInstant(model.sampledAt(id))}`);
    if (model.down(id)) parts.push(model.downText ?? 'link down');
    if (model.carried(id)) parts.push('carried over: the latest payload had no usable row for it');
    return parts;
  }

  showTip(index, announce = false) {
    const tip = this.tooltip;
    if (index < 0 || !this.model || index >= this.model.ids.length) {
      tip.hidden = true;
      return;
    }
    const parts = this.describe(index);
    tip.replaceChildren(...parts.map((text, i) => {
      const line = document.createElement('div');
      if (i === 0) {
        const strong = document.createElement('strong');
        strong.textContent = text;
        line.append(strong);
      } else {
        line.textContent = text;
      }
      return line;
    }));
    tip.dataset.switch = this.model.ids[index];
    tip.hidden = false;
    const { columns, cell } = this.layout;
    const x = (index % columns) * cell + cell;
    const y = Math.floor(index / columns) * cell + cell;
    const width = this.canvas.parentElement.clientWidth;
    tip.style.left = `${Math.max(0, Math.min(x + 4, width - tip.offsetWidth))}px`;
    tip.style.top = `${y + 4}px`;
    if (announce) this.announcer.textContent = parts.join(', ');
  }

  key(event) {
    if (!this.model || this.model.ids.length === 0) return;
    const count = this.model.ids.length;
    const { columns } = this.layout;
    const moves = {
      ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns,
      PageDown: columns * 5, PageUp: -columns * 5,
    };
    let next = this.focus;
    if (Object.hasOwn(moves, event.key)) next = this.focus + moves[event.key];
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = count - 1;
    else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (this.focus >= 0) this.onSelect(this.model.ids[this.focus]);
      return;
    } else return;
    event.preventDefault();
    this.focus = Math.max(0, Math.min(count - 1, next));
    this.draw();
    this.showTip(this.focus, true);
  }
}
