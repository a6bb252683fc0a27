/**
 * The plot of `pulumi preview` time against N (bench/fleet-preview.svg), written by the fleet-preview step as a
 * hand-written SVG: no plotting dependency.
 */

/** One series: points (N, seconds). */
export interface PlotSeries {
  label: string;
  color: string;
  points: ReadonlyArray<readonly [number, number]>;
}

const escapeXml = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** "Nice" tick step for a range: 1, 2 or 5 times a power of ten. */
function tickStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/** An SVG line chart of `series` (linear axes from 0), with a title and a legend. */
export function previewPlotSvg(title: string, xLabel: string, yLabel: string, series: readonly PlotSeries[]): string {
  const width = 640;
  const height = 400;
  const margin = { left: 64, right: 24, top: 48, bottom: 56 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...all.map(([x]) => x));
  const yMax = Math.max(1, ...all.map(([, y]) => y)) * 1.1;
  const x = (value: number) => margin.left + (value / xMax) * plotWidth;
  const y = (value: number) => margin.top + plotHeight - (value / yMax) * plotHeight;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
  );
  const yStep = tickStep(yMax, 5);
  for (let value = 0; value <= yMax; value += yStep) {
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#e0e0e0"/>`,
      `<text x="${margin.left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${Number(value.toPrecision(6))}</text>`,
    );
  }
  const xStep = tickStep(xMax, 5);
  for (let value = 0; value <= xMax; value += xStep) {
    parts.push(
      `<line x1="${x(value).toFixed(1)}" x2="${x(value).toFixed(1)}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight + 4}" stroke="black"/>`,
      `<text x="${x(value).toFixed(1)}" y="${margin.top + plotHeight + 18}" text-anchor="middle">${Number(value.toPrecision(6))}</text>`,
    );
  }
  parts.push(
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="black"/>`,
    `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" stroke="black"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 16}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text transform="translate(18 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
  );
  series.forEach((s, index) => {
    const sorted = [...s.points].sort((a, b) => a[0] - b[0]);
    const path = sorted.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(" ");
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${path}"/>`);
    for (const [px, py] of sorted) {
      parts.push(
        `<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="3.5" fill="${s.color}"><title>${escapeXml(`${s.label}: N=${px}, ${py} s`)}</title></circle>`,
      );
    }
    const legendY = margin.top + 8 + index * 18;
    parts.push(
      `<line x1="${margin.left + 12}" x2="${margin.left + 36}" y1="${legendY}" y2="${legendY}" stroke="${s.color}" stroke-width="2"/>`,
      `<text x="${margin.left + 42}" y="${legendY + 4}">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
