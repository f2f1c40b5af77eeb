import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/headless.js';

/**
 * The architecture's import zones (docs/ARCHITECTURE.md §2) are ESLint rules (eslint.config.mjs). Each case
 * lints a small source as if it stood at `filePath`, so a rule that silently stopped matching
 * (a renamed folder, a typo in a glob) fails here.
 */
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function zoneErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint import zones', () => {
  it('main/node may not import electron', async () => {
    const errors = await zoneErrors('main/node/some-part.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Only main/app and preload/preload.ts may import electron');
    expect(await zoneErrors('main/node/market/x.ts', "import 'electron/main';\n")).toHaveLength(1);
    expect(await zoneErrors('main/headless.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(1);
  });

  it('main/app may import electron', async () => {
    expect(await zoneErrors('main/app/window.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([]);
  });

  it('the renderer imports only the contract of preload/, nothing of main/', async () => {
    const ok = "import type { Settings } from '../../../preload/contract';\nexport type S = Settings;\n";
    expect(await zoneErrors('renderer/src/screens/x/X.tsx', ok)).toEqual([]);
    expect(await zoneErrors('renderer/src/x.ts', "import { m } from '../../preload/contract/market';\nexport const y = m;\n")).toEqual([]);
    const fromMain = "import { createNode } from '../../main/node/create-node';\nexport const y = createNode;\n";
    expect(await zoneErrors('renderer/src/x.ts', fromMain)).toHaveLength(1);
    const fromPreload = "import { createIpcApi } from '../../preload/ipc-api';\nexport const y = createIpcApi;\n";
    expect(await zoneErrors('renderer/src/x.ts', fromPreload)).toHaveLength(1);
    expect(await zoneErrors('renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const y = ipcRenderer;\n")).toHaveLength(
      1,
    );
  });

  it('the contract imports only zod and itself', async () => {
    expect(await zoneErrors('preload/contract/x.ts', "import { z } from 'zod';\nexport const s = z.string();\n")).toEqual([]);
    expect(await zoneErrors('preload/contract/x.ts', "import fs from 'node:fs';\nexport const f = fs;\n")).toHaveLength(1);
    expect(
      await zoneErrors('preload/contract.ts', "import { Store } from '../main/node/store/store';\nexport const s = Store;\n"),
    ).toHaveLength(1);
  });

  it('the preload imports nothing of main/ or the renderer', async () => {
    const bad = "import { App } from '../renderer/src/App';\nexport const a = App;\n";
    expect(await zoneErrors('preload/preload.ts', bad)).toHaveLength(1);
  });
});
