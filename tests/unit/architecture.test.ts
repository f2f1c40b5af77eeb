import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/headless.js';

function sourceFiles(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx|mjs|js)$/.test(f))
    .map((f) => path.join(dir, f));
}

// Import boundaries are ESLint zones (eslint.config.mjs, tests/unit/lint-zones.test.ts); this file keeps what lint cannot say.
describe('architecture (DESIGN.md section 1)', () => {
  it('keeps source files under 400 lines (no god files)', () => {
    const long = [...sourceFiles('main'), ...sourceFiles('preload'), ...sourceFiles('renderer/src')]
      .map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });
});
