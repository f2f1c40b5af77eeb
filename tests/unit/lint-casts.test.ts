import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/headless.js';

/** Product code may not cast a contract type on (eslint.config.mjs, no-restricted-syntax); tests may. */
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function castErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const doubleCast = 'export const f = (x: number) => x as unknown as string;\n';
const valueCast =
  "export const g = (r: { value: unknown }) => r.value as { n: number };\nexport const h = (e: { target: { value: string } }) => e.target.value as 'a' | 'b';\n";

describe('lint: no casts of contract types in product code', () => {
  it('refuses `as unknown as` and `.value as` in main, preload and the renderer', async () => {
    for (const file of ['main/node/x.ts', 'main/app/x.ts', 'preload/contract/x.ts', 'renderer/src/screens/x/X.tsx']) {
      expect(await castErrors(file, doubleCast), file).toEqual([expect.stringContaining('No `as unknown as`')]);
      expect(await castErrors(file, valueCast), file).toHaveLength(2);
    }
  });

  it('allows a typed value and casts in tests', async () => {
    expect(await castErrors('main/node/x.ts', 'export const f = (r: { value: number }) => r.value + 1;\n')).toEqual([]);
    expect(await castErrors('tests/unit/x.test.ts', doubleCast + valueCast)).toEqual([]);
  });
});
