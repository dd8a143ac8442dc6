/**
 * A hand-written SVG chart of the zoo detection benchmark: for each bug, one
 * bar per strategy, the median executions to first detection on a log scale
 * (a bug not found counts as the budget).
 *
 * @module
 */

/** What the chart needs of a detection row. */
export interface ChartRow {
  readonly bug: { readonly id: string };
  readonly cells: Readonly<Record<string, { readonly executions: { readonly median: number } }>>;
}

const COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#9c755f"];

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}

/** The chart as an SVG document. */
export function zooChart(
  rows: readonly ChartRow[],
  strategies: readonly string[],
  budget: number,
): string {
  const bar = 7, gap = 10, left = 230, width = 520, top = 40;
  const group = strategies.length * bar + gap;
  const height = top + rows.length * group + 40;
  const max = Math.log10(budget);
  const x = (v: number) => (Math.log10(Math.max(1, v)) / max) * width;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${
      left + width + 160
    }" height="${height}" font-family="sans-serif" font-size="11">`,
    `<text x="${left}" y="16" font-size="13">median executions to first detection (log scale; budget ${budget})</text>`,
  ];
  for (let d = 0; d <= max; d++) {
    const gx = left + x(10 ** d);
    out.push(
      `<line x1="${gx}" y1="${top - 8}" x2="${gx}" y2="${height - 30}" stroke="#ddd"/>`,
      `<text x="${gx}" y="${height - 16}" text-anchor="middle">${10 ** d}</text>`,
    );
  }
  rows.forEach((r, i) => {
    const y = top + i * group;
    out.push(
      `<text x="${left - 6}" y="${y + group / 2}" text-anchor="end">${esc(r.bug.id)}</text>`,
    );
    strategies.forEach((s, j) => {
      const v = r.cells[s].executions.median;
      out.push(
        `<rect x="${left}" y="${y + j * bar}" width="${Math.max(1, x(v)).toFixed(1)}" height="${
          bar - 1
        }" fill="${COLORS[j % COLORS.length]}"><title>${esc(s)}: ${v}</title></rect>`,
      );
    });
  });
  strategies.forEach((s, j) => {
    const ly = top + j * 16;
    out.push(
      `<rect x="${left + width + 20}" y="${ly}" width="10" height="10" fill="${
        COLORS[j % COLORS.length]
      }"/>`,
      `<text x="${left + width + 36}" y="${ly + 9}">${esc(s)}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
