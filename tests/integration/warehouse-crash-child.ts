/**
 * Child of warehouse.test.ts: a node that mirrors a data folder into PostgreSQL with small pages
 * and reports its progress, until the test kills it with SIGKILL (the kill is the crash).
 */
import { createNode } from '../../main/node/create-node.js';

const [dir, url] = process.argv.slice(2);
if (!dir || !url) throw new Error('usage: warehouse-crash-child.ts <data dir> <postgres url>');
const node = createNode({
  dataDir: dir,
  mode: 'headless',
  version: 'test',
  collect: false,
  warehouseUrl: url,
  warehouse: { pageRows: 300, backoff: { baseMs: 100, maxMs: 500 }, pollMs: 200 },
});
await node.start();
setInterval(() => {
  const kl = node.warehouse.mirrorStatus().datasets.find((d) => d.code === 'KL030');
  process.stdout.write(`mirrored ${kl?.mirroredSeq ?? 0}\n`);
}, 20);
