// A sparkline of one metric's recent history as an SVG polyline: no charting library needed for
// one line. A point without a reading breaks the line (a gap, never a drop to 0).
import { formatValue, formatInstant } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 300;
const HEIGHT = 60;
const PAD = 4;

/** Draws points ([{sampledAt, value}], oldest first) into svg; returns the text alternative. */
export function drawSparkline(svg, metric, points) {
  svg.replaceChildren();
  svg.dataset.points = String(points.length);
  const readings = points.filter((p) => typeof p.value === 'number');
  if (points.length === 0) return `${metric}: no history yet`;
  const times = points.map((p) => Date.parse(p.sampledAt));
  const t0 = times[0];
  const t1 = times[times.length - 1];
  const values = readings.map((p) => p.value);
  const min = values.length ? Math.min(...values) : 0;
  const max = values.length ? Math.max(...values) : 0;
  const x = (t) => (t1 === t0 ? WIDTH / 2 : PAD + ((t - t0) / (t1 - t0)) * (WIDTH - 2 * PAD));
  const y = (v) => (max === min ? HEIGHT / 2 : HEIGHT - PAD - ((v - min) / (max - min)) * (HEIGHT - 2 * PAD));

  let segment = [];
  const flush = () => {
    if (segment.length === 1) {
      const dot = document.createElementNS(SVG, 'circle');
      dot.setAttribute('cx', segment[0][0]);
      dot.setAttribute('cy', segment[0][1]);
      dot.setAttribute('r', '1.5');
      svg.append(dot);
    } else if (segment.length > 1) {
      const line = document.createElementNS(SVG, 'polyline');
      line.setAttribute('points', segment.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' '));
      svg.append(line);
    }
    segment = [];
  };
  points.forEach((p, i) => {
    if (typeof p.value === 'number') segment.push([x(times[i]), y(p.value)]);
    else flush();
  });
  flush();

  const latest = points[points.length - 1];
  const gaps = points.length - readings.length;
  let text = `${metric}: ${points.length} point${points.length === 1 ? '' : 's'} from ${formatInstant(points[0].sampledAt)} `
    + `to ${formatInstant(latest.sampledAt)}`;
  if (readings.length) {
    text += `; min ${formatValue(metric, min)}, max ${formatValue(metric, max)}, latest ${formatValue(metric, latest.value)}`;
  }
  if (gaps) text += `; ${gaps} without a reading`;
  return text;
}
