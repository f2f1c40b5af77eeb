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

const importsOf = (file: string): string[] => {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
};

describe('architecture boundaries (DESIGN.md section 1)', () => {
  it('main/node and headless never import electron', () => {
    const offenders = [...sourceFiles('main/node'), 'main/headless.ts'].filter((f) =>
      importsOf(f).some((i) => i === 'electron' || i.startsWith('electron/')),
    );
    expect(offenders).toEqual([]);
  });

  it('only main/app and the preload may import electron', () => {
    const offenders = [...sourceFiles('renderer/src'), ...sourceFiles('preload/contract'), 'preload/contract.ts'].filter((f) =>
      importsOf(f).some((i) => i === 'electron'),
    );
    expect(offenders).toEqual([]);
  });

  it('the renderer imports nothing from main/, only the contract from preload/', () => {
    const offenders = sourceFiles('renderer/src').flatMap((f) =>
      importsOf(f)
        .filter((i) => i.includes('/main/') || (i.includes('/preload/') && !/\/preload\/contract(\.js|\.ts)?(\/|$)/.test(i)))
        .map((i) => `${f} -> ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the contract imports nothing but zod and itself', () => {
    const offenders = ['preload/contract.ts', ...sourceFiles('preload/contract')].flatMap((f) =>
      importsOf(f)
        .filter((i) => i !== 'zod' && !i.startsWith('./') && !i.startsWith('../contract'))
        .map((i) => `${f} -> ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps source files under 400 lines (no god files)', () => {
    const long = [...sourceFiles('main'), ...sourceFiles('preload'), ...sourceFiles('renderer/src')]
      .map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });
});
