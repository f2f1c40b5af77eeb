/** Byte counts in binary units (1 KiB = 1024 B), one decimal above bytes: short enough for a table cell. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}

/** The node's errors are `field.index: sentence; ...`; one part per issue. */
export interface IssuePart {
  field: string;
  index: number | null;
  message: string;
}

export function splitIssues(message: string): IssuePart[] {
  return message
    .split('; ')
    .filter(Boolean)
    .map((part) => {
      const m = /^([A-Za-z]+)(?:\.(\d+))?: (.*)$/.exec(part);
      if (!m) return { field: '', index: null, message: part };
      return { field: m[1]!, index: m[2] === undefined ? null : Number(m[2]), message: part };
    });
}

/**
 * The node's sentence for a failed call. Input rejected at the dispatcher is prefixed with the
 * handler name (`sender.config.update: port: …`); next to a field that prefix is noise.
 */
export const errorMessage = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).replace(/^sender\.[a-z.]+: (?=\w+(\.\d+)?: )/, '');
