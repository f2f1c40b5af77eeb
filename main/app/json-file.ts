import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

/**
 * Small JSON files of the shell (window state, auto-sync pause) in the user-data folder. A missing,
 * unreadable or invalid file yields `undefined` so the shell falls back to defaults instead of
 * failing to open a window.
 */
export function readJsonFile<S extends z.ZodType>(file: string, schema: S): z.output<S> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Write to a temp file and rename, so a crash mid-write never leaves half a file. */
export function writeJsonFile(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
