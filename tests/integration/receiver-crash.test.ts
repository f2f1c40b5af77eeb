import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/headless.js';
import {
  addPeer,
  gridCount,
  gridOf,
  gridRows,
  removeDir,
  seedGrid,
  sleep,
  startNode,
  waitFor,
  type SyncNodeProc,
} from './receiver-harness.js';

const live: SyncNodeProc[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(live.map((n) => n.kill()));
  dirs.forEach(removeDir);
});
async function node(dir?: string, port?: number): Promise<SyncNodeProc> {
  const n = await startNode(dir, port);
  live.push(n);
  if (!dirs.includes(n.dir)) dirs.push(n.dir);
  return n;
}

/** A seeded PRNG so a failing run can be replayed (the seed is printed on failure). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32;
}

describe('receiver crash safety', () => {
  it('SIGKILL of the receiver 20 times during a 200k-row initial sync: final table equals the sender row for row', async () => {
    const seed = Date.now() % 100_000;
    const random = prng(seed);
    const dirA = tempDataDir('csn-a-');
    seedGrid(dirA, gridRows('C', 100, 2_000)); // 200,000 rows
    const a = await node(dirA);
    const dirB = tempDataDir('csn-b-');
    let b = await node(dirB);
    await addPeer(b, a);
    const progress: number[] = [];
    for (let i = 0; i < 20; i++) {
      // Kill at a random moment of the run (it resumes from its committed cursor each time).
      await sleep(50 + Math.floor(random() * 700));
      await b.kill();
      progress.push(gridCount(dirB));
      b = await node(dirB);
    }
    await waitFor('B caught up', () => gridCount(dirB) === 200_000, 120_000, 250);
    const peer = (await b.call('sync.status', {})).body.value.peers[0];
    expect(peer.datasetStatus.find((d: { code: string }) => d.code === 'PT002').lag, `seed ${seed}`).toBe(0);
    expect(gridOf(dirB), `seed ${seed}`).toEqual(gridOf(dirA));
    // The kills really landed mid-sync: progress was partial at some of them.
    expect(
      progress.some((n) => n > 0 && n < 200_000),
      `progress ${progress.join(',')}`,
    ).toBe(true);
  }, 240_000);

  it('sender restarted mid-sync: the receiver backs off, resumes and ends identical', async () => {
    const dirA = tempDataDir('csn-a-');
    seedGrid(dirA, gridRows('S', 100, 1_500)); // 150,000 rows
    const a = await node(dirA);
    const b = await node();
    await addPeer(b, a);
    await waitFor('sync under way', () => gridCount(b.dir) > 0, 30_000, 20);
    const port = a.senderPort;
    await a.kill();
    const during = gridCount(b.dir);
    await waitFor(
      'receiver notices',
      async () => ['backing_off', 'syncing'].includes((await b.call('sync.status', {})).body.value.peers[0].state),
      10_000,
    );
    await sleep(500);
    await node(dirA, port); // the same sender again, on its old port (the harness stops it)
    await waitFor('B caught up', () => gridCount(b.dir) === 150_000, 90_000, 250);
    expect(during).toBeLessThan(150_000);
    expect(gridOf(b.dir)).toEqual(gridOf(dirA));
    const history = (await b.call('sync.history', {})).body.value.runs as { ok: boolean }[];
    expect(history.some((r) => !r.ok)).toBe(true);
    await waitFor('idle', async () => (await b.call('sync.status', {})).body.value.peers[0].state === 'idle', 20_000);
  }, 180_000);
});
