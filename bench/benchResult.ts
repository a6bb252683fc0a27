/**
 * The shape of `bench/results.json` and small statistics helpers shared by the benchmark modules.
 */

/**
 * One benchmark figure. `value` and `baseline` share `unit`; `ratio` is `value / baseline`; `goal` is the threshold
 * `note` states the direction of (e.g. "goal: ratio ≤ 1.05"). A figure that could not be measured on this machine has
 * `value`, `ratio` and `met` null and a `note` saying why.
 */
export interface BenchResult {
  name: string;
  value: number | null;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  goal: number | null;
  met: boolean | null;
  note?: string;
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The `p`-th percentile (nearest rank) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** The median of `values`. */
export const median = (values: readonly number[]): number => percentile(values, 50);

/** Milliseconds since `started` (a `process.hrtime.bigint()` reading). */
export function elapsedMs(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** A figure measured against a baseline, met when `met(value, ratio)` holds. */
export function result(
  fields: Omit<BenchResult, "ratio" | "met" | "value" | "baseline"> & { value: number; baseline: number },
  met: (value: number, ratio: number) => boolean,
): BenchResult {
  const ratio = fields.baseline === 0 ? Number.NaN : fields.value / fields.baseline;
  return {
    name: fields.name,
    value: round(fields.value),
    unit: fields.unit,
    baseline: round(fields.baseline),
    ratio: Number.isFinite(ratio) ? round(ratio, 3) : null,
    goal: fields.goal,
    met: met(fields.value, ratio),
    ...(fields.note === undefined ? {} : { note: fields.note }),
  };
}

/** A figure this machine cannot measure. */
export function notMeasured(name: string, unit: string, goal: number | null, note: string): BenchResult {
  return { name, value: null, unit, baseline: null, ratio: null, goal, met: null, note };
}
