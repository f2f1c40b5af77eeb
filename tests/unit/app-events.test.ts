import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventEnvelope, LogLine } from '../../preload/contract.js';
import { createNode } from '../../main/node/create-node.js';
import { createEventForwarder } from '../../main/app/event-forwarder.js';
import { createNotifier, noticeFor } from '../../main/app/notifier.js';
import { describeStartupError } from '../../main/app/startup-error.js';
import { dataDirFromArgs, electronSqliteBinding } from '../../main/app/app-config.js';

const line = (id: number): LogLine => ({ id, ts: id, level: 'info', source: 'test', message: `line ${id}` });

describe('event forwarding to the window', () => {
  afterEach(() => vi.useRealTimers());

  it('passes every non-log event straight through', () => {
    const sent: EventEnvelope[] = [];
    const f = createEventForwarder({ send: (e) => sent.push(e) });
    f.forward('data.changed', { table: 'grid', maxSeq: 9, rows: 2 });
    f.forward('settings.changed', {} as never);
    expect(sent.map((e) => e.event)).toEqual(['data.changed', 'settings.changed']);
    expect(sent[0]!.payload).toEqual({ table: 'grid', maxSeq: 9, rows: 2 });
  });

  it('rate-limits a log burst, keeps order, drops the overflow and says so once', () => {
    vi.useFakeTimers();
    const sent: EventEnvelope[] = [];
    const f = createEventForwarder({ send: (e) => sent.push(e), logBurst: 10, intervalMs: 100, logQueueMax: 25 });
    for (let i = 1; i <= 100; i++) f.forward('log.line', line(i));
    f.forward('node.status', {} as never); // never queued behind the logs
    expect(sent).toHaveLength(11);
    expect(sent.at(-1)!.event).toBe('node.status');
    vi.advanceTimersByTime(100 * 5);
    const logs = sent.filter((e) => e.event === 'log.line').map((e) => e.payload as LogLine);
    // 10 at once, 25 queued, 65 dropped; then the notice
    expect(logs.slice(0, 35).map((l) => l.id)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    expect(logs[35]).toMatchObject({ id: 100, level: 'warn', source: 'shell' });
    expect(logs[35]!.message).toBe('65 log lines were not shown live during a burst; the Logs screen has them all.');
    expect(f.dropped).toBe(65);
    vi.advanceTimersByTime(1_000);
    f.forward('log.line', line(101));
    expect((sent.at(-1)!.payload as LogLine).id).toBe(101); // the quiet period reset the budget
    f.close();
    f.forward('log.line', line(102));
    expect((sent.at(-1)!.payload as LogLine).id).toBe(101);
  });
});

describe('notifications', () => {
  const failing = { peerId: 'p1', peerName: 'office', failures: 5, lastError: 'ECONNREFUSED 10.0.0.5:8787' };

  it('turns a failing peer and a finished backfill into notices', () => {
    expect(noticeFor('sync.peer.failing', failing)).toEqual({
      key: 'peer-failing:p1',
      title: 'Peer office keeps failing',
      body: '5 sync attempts in a row failed: ECONNREFUSED 10.0.0.5:8787 Open Sync to check the address and token.',
    });
    expect(noticeFor('backfill.finished', { jobId: 3, rows: 12345, coins: 27, durationMs: 61_000 })).toEqual({
      key: 'backfill-finished:3',
      title: 'Backfill finished',
      body: '12,345 rows for 27 coins in 61 s.',
    });
    expect(noticeFor('backfill.finished', { rows: 10, failed: 2 })?.title).toBe('Backfill finished with gaps');
  });

  it('says the same in Chinese when the UI is in zh-CN, with the glossary terms and full-width punctuation', () => {
    const failing = { peerId: 'p1', peerName: 'office', failures: 5, lastError: 'ECONNREFUSED 10.0.0.5:8787' };
    expect(noticeFor('sync.peer.failing', failing, undefined, 'zh-CN')).toEqual({
      key: 'peer-failing:p1',
      title: '对端 office 持续同步失败',
      body: '已连续 5 次同步失败。请打开“同步”页检查地址和令牌。',
    });
    const done = noticeFor('backfill.finished', { jobId: 3, rows: 12345, coins: 27, durationMs: 61_000, failed: 2 }, undefined, 'zh-CN');
    expect(done).toEqual({
      key: 'backfill-finished:3',
      title: '回补完成，仍有缺口',
      body: '共 12,345 行，27 个币种，用时 61 秒；2 个区间未能获取。',
    });
    // No Latin letters besides the peer's own name, and no half-width punctuation after Chinese.
    for (const text of [done!.title, done!.body]) expect(text).not.toMatch(/[A-Za-z]|[\u4e00-\u9fff][,.;:!?]/);
    let locale: 'en' | 'zh-CN' = 'en';
    const shown: string[] = [];
    const notify = createNotifier({ enabled: () => true, show: (n) => shown.push(n.title), locale: () => locale, quietMs: 0 });
    notify('backfill.finished', { jobId: 1, rows: 1 });
    locale = 'zh-CN';
    notify('backfill.finished', { jobId: 2, rows: 1 });
    expect(shown).toEqual(['Backfill finished', '回补完成']);
  });

  it('ignores other events and payloads that do not fit', () => {
    expect(noticeFor('log.line', line(1))).toBeNull();
    expect(noticeFor('sync.peer.failing', { peerId: 'p1' })).toBeNull();
    expect(noticeFor('__proto__', {})).toBeNull();
  });

  it('honours the setting and shows the same notice once per quiet period', () => {
    let now = 0;
    let enabled = false;
    const shown: string[] = [];
    const notify = createNotifier({ enabled: () => enabled, show: (n) => shown.push(n.title), now: () => now, quietMs: 1_000 });
    notify('sync.peer.failing', failing);
    enabled = true;
    notify('sync.peer.failing', failing);
    now = 500;
    notify('sync.peer.failing', failing);
    notify('sync.peer.failing', { ...failing, peerId: 'p2', peerName: 'laptop' });
    now = 1_200;
    notify('sync.peer.failing', failing);
    expect(shown).toEqual(['Peer office keeps failing', 'Peer laptop keeps failing', 'Peer office keeps failing']);
  });
});

describe('startup faults become a dialog, not a blank window', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'csn-startup-'));
    dirs.push(d);
    return d;
  };
  /** What the app would show if the node failed to open this data folder. */
  const startupErrorOf = (dataDir: string) => {
    let err: unknown;
    try {
      createNode({ dataDir, mode: 'desktop', version: '0' });
    } catch (e) {
      err = e;
    }
    return describeStartupError(err, dataDir);
  };

  it('names the folder and what to do when the data folder cannot be used', () => {
    const file = path.join(tmp(), 'a-file');
    fs.writeFileSync(file, 'x');
    const dataDir = path.join(file, 'data'); // a folder inside a file: cannot be created
    const text = startupErrorOf(dataDir);
    expect(text.title).toBe('Coin Sync Node cannot use its data folder');
    expect(text.message).toContain(`The data folder ${dataDir} cannot be written`);
    expect(text.message).toContain('Choose another folder');
  });

  it('explains a database written by a newer version', () => {
    const dataDir = tmp();
    const db = new Database(path.join(dataDir, 'coin-sync-node.sqlite'));
    db.pragma('user_version = 999');
    db.close();
    const text = startupErrorOf(dataDir);
    expect(text.title).toBe('The database is from a newer version');
    expect(text.message).toMatch(/newer Coin Sync Node \(schema 999/);
  });

  it('points at npm run rebuild:electron for a wrong-ABI better-sqlite3', () => {
    const err = new Error('The module better_sqlite3.node was compiled against a different Node.js version using NODE_MODULE_VERSION 115.');
    expect(describeStartupError(err, '/d').message).toMatch(/^better-sqlite3 is compiled for another runtime .*npm run rebuild:electron/);
    expect(describeStartupError(new Error('odd'), '/d').title).toBe('Coin Sync Node could not start');
  });
});

describe('app configuration', () => {
  it('takes the data folder from --data-dir or COIN_SYNC_DATA_DIR', () => {
    expect(dataDirFromArgs(['electron', 'app.js', '--data-dir', '/x/y'], {})).toBe(path.resolve('/x/y'));
    expect(dataDirFromArgs(['electron', '--data-dir=/z'], {})).toBe(path.resolve('/z'));
    expect(dataDirFromArgs(['electron', '--data-dir', '--hidden'], {})).toBeUndefined();
    expect(dataDirFromArgs(['electron'], { COIN_SYNC_DATA_DIR: '/env' })).toBe(path.resolve('/env'));
  });

  it('loads the Electron-ABI better-sqlite3 only where it was built', () => {
    const has = (p: string) =>
      p === path.join('/proj', 'build/electron-native/better_sqlite3.node') || p === '/res/native/better_sqlite3.node';
    expect(electronSqliteBinding({ isPackaged: false, resourcesPath: '/res', projectRoot: '/proj', exists: has })).toBe(
      path.join('/proj', 'build/electron-native/better_sqlite3.node'),
    );
    expect(electronSqliteBinding({ isPackaged: true, resourcesPath: '/res', projectRoot: '/proj', exists: has })).toBe(
      '/res/native/better_sqlite3.node',
    );
    expect(electronSqliteBinding({ isPackaged: false, resourcesPath: '/res', projectRoot: '/other', exists: has })).toBeUndefined();
  });
});
