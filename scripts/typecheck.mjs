// `npm run typecheck`: every TypeScript project of the tree, each named for what it checks.
// scripts/test.mjs runs the same list as part of `npm test`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const typecheckProjects = [
  ['the node, headless mode, simulator, contract and scripts (Node typings, no DOM)', 'tsconfig.node.json'],
  ['the tests and tool configs (Node and DOM typings: tests drive the node and the renderer’s logic)', 'tsconfig.tests.json'],
  ['the renderer and the contract (DOM typings, no Node)', 'tsconfig.renderer.json'],
  ['the Electron shell and preload, against the electron package’s own typings', 'tsconfig.electron.json'],
];

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  let failed = 0;
  for (const [what, project] of typecheckProjects) {
    console.log(`type-check ${project}: ${what}`);
    if (spawnSync(tsc, ['-p', project, '--noEmit'], { cwd: root, stdio: 'inherit' }).status !== 0) failed += 1;
  }
  if (failed > 0) console.error(`${failed} of ${typecheckProjects.length} type-checks failed.`);
  process.exit(failed > 0 ? 1 : 0);
}
