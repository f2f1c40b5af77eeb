import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNode } from '../../main/node/create-node.js';
import { readLogTail } from '../../main/node/log/file-tail.js';
import { tempDataDir } from '../helpers/headless.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const dir = () => {
  const d = tempDataDir('csn-logtail-');
  dirs.push(d);
  return d;
};

describe('log file tail', () => {
  it('parses header lines, keeps stack traces with their line, and drops fragments', () => {
    const d = dir();
    const file = path.join(d, 'node.log');
    fs.writeFileSync(
      file,
      [
        'xx] [info]   (node) half a line from the middle',
        '[2026-01-03 00:00:01.250] [info]   (collector) collecting 27 coins',
        '[2026-01-03 00:00:02.000] [error]  (receiver)  peer Desk B failed: boom',
        '    at Object.<anonymous> (peer-loop.ts:10:5)',
        '[2026-01-03 00:00:03.500] [warn]   plain line without a source',
        '',
      ].join('\n'),
    );
    const lines = readLogTail(file, 10, 10_000);
    // The fragment before the first header has no line to belong to, so it is left out.
    expect(lines.map((l) => [l.level, l.source, l.message])).toEqual([
      ['info', 'collector', 'collecting 27 coins'],
      ['error', 'receiver', 'peer Desk B failed: boom\n    at Object.<anonymous> (peer-loop.ts:10:5)'],
      ['warn', 'node', 'plain line without a source'],
    ]);
    expect(lines[0]!.ts).toBe(new Date(2026, 0, 3, 0, 0, 1, 250).getTime());
    // Read from the middle of the file: the cut line is dropped, whole lines are kept.
    const cut = readLogTail(file, 10, 160);
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.at(-1)!.message).toBe('plain line without a source');
    expect(cut.every((l) => !l.message.startsWith('xx]'))).toBe(true);
    expect(readLogTail(path.join(d, 'missing.log'), 10)).toEqual([]);
  });

  it('shows the previous run’s lines after a restart, followed by the new run’s', async () => {
    const d = dir();
    const a = createNode({ dataDir: d, mode: 'headless', version: 'test', collect: false });
    a.log.scope('before').error('the line a user looks for after a crash');
    await a.stop();
    await new Promise((r) => setTimeout(r, 100)); // electron-log writes the file asynchronously
    const b = createNode({ dataDir: d, mode: 'headless', version: 'test', collect: false });
    b.log.scope('after').info('second run');
    const lines = b.log.tail({ limit: 100 });
    const old = lines.findIndex((l) => l.message === 'the line a user looks for after a crash');
    const fresh = lines.findIndex((l) => l.message === 'second run');
    expect(old).toBeGreaterThanOrEqual(0);
    expect(lines[old]).toMatchObject({ level: 'error', source: 'before' });
    expect(fresh).toBeGreaterThan(old);
    expect(lines[fresh]!.id).toBeGreaterThan(lines[old]!.id);
    expect(b.log.sources()).toContain('before');
    await b.stop();
  });
});
