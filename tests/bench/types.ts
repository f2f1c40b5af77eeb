/** One figure of a benchmark, reported against a baseline measured in the same run. */
export interface Figure {
  metric: string;
  value: number;
  unit: string;
  /** The same-run baseline this figure is compared with, when there is one. */
  baseline?: number;
  /** value / baseline (or baseline / value for "lower is better" figures), precomputed by the bench. */
  ratio?: number;
  /** Human-readable goal, e.g. "≥ 0.5×". */
  goal?: string;
  pass?: boolean;
}

export interface BenchResult {
  name: string;
  figures: Figure[];
  notes?: string[];
}

/** A bench module's default export. */
export type Bench = () => Promise<BenchResult>;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
