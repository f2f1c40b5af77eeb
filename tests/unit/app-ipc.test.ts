import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerNames, ipcChannelOf, isHandlerName, type Result } from '../../preload/contract.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { ipcHandlerFor, registerIpc, type IpcRegistrar } from '../../main/app/ipc.js';
import { createShellController, TRAY_HANDLERS } from '../../main/app/shell-controller.js';
import { loadPause, pauseStateFile } from '../../main/app/pause-state.js';
import { RENDERER_INDEX_URL } from '../../main/app/security-policy.js';

let dir: string;
let node: SyncNode;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csn-app-ipc-'));
  node = createNode({ dataDir: dir, mode: 'desktop', version: '0.0.0-test' });
});
afterAll(async () => {
  await node.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What Electron hands a handler: the invoking frame. */
const from = (url: string | undefined) => ({ senderFrame: url === undefined ? null : ({ url } as never) });

/** Stands in for ipcMain (Electron is not installed here); records what the shell registers. */
function registrar() {
  const handlers = new Map<string, (e: unknown, input: unknown) => Promise<Result<unknown>>>();
  const r: IpcRegistrar = {
    handle: (channel, fn) => void handlers.set(channel, fn as never),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { r, handlers };
}

describe('IPC registration', () => {
  it('registers one channel per contract handler and removes them again', () => {
    const { r, handlers } = registrar();
    const off = registerIpc(r, { dispatch: node.dispatch, log: node.log.scope('ipc') });
    expect([...handlers.keys()].sort()).toEqual(handlerNames.map(ipcChannelOf).sort());
    off();
    expect(handlers.size).toBe(0);
  });

  it('answers through node.dispatch, validated by the contract schemas', async () => {
    const { r, handlers } = registrar();
    registerIpc(r, { dispatch: node.dispatch, log: node.log.scope('ipc') });
    const status = await handlers.get('csn:status.get')!(from(RENDERER_INDEX_URL), {});
    expect(status).toMatchObject({ ok: true, value: { nodeId: node.identity.nodeId } });

    const updated = await handlers.get('csn:settings.update')!(from('app://renderer/index.html#/settings'), { nodeName: 'Desk' });
    expect(updated).toMatchObject({ ok: true, value: { nodeName: 'Desk' } });
    expect(node.settings.get().nodeName).toBe('Desk');
  });

  it('answers malformed arguments with bad_input and never throws', async () => {
    const h = (name: Parameters<typeof ipcHandlerFor>[0]) => ipcHandlerFor(name, { dispatch: node.dispatch, log: node.log.scope('ipc') });
    const ok = from(RENDERER_INDEX_URL);
    const cases: Array<[Parameters<typeof ipcHandlerFor>[0], unknown, RegExp]> = [
      ['logs.tail', { limit: 'many' }, /logs\.tail: .*limit/],
      ['logs.tail', { limit: 5, extra: true }, /logs\.tail: /],
      ['settings.update', { closeToTray: 'yes' }, /closeToTray/],
      ['settings.update', 'not an object', /settings\.update: /],
      ['status.get', [1, 2, 3], /status\.get: /],
    ];
    for (const [name, input, message] of cases) {
      const res = await h(name)(ok, input);
      expect(res.ok).toBe(false);
      if (!res.ok) {
        expect(res.error.code).toBe('bad_input');
        expect(res.error.message).toMatch(message);
      }
    }
    expect(node.settings.get().closeToTray).toBe(true);
  });

  it('answers unknown handler names with unknown_handler (what dispatch gives any transport)', async () => {
    expect(await node.dispatch('no.such.handler', {})).toEqual({
      ok: false,
      error: {
        code: 'unknown_handler',
        message: 'There is no handler named "no.such.handler".',
        reason: 'unknown_handler',
        params: { name: 'no.such.handler' },
      },
    });
  });

  it('refuses calls from frames that are not our renderer', async () => {
    const h = ipcHandlerFor('settings.update', { dispatch: node.dispatch, log: node.log.scope('ipc') });
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'app://other/index.html', undefined]) {
      const res = await h(from(url), { nodeName: 'Hacked' });
      expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(node.settings.get().nodeName).not.toBe('Hacked');
  });

  it('turns a dispatch that throws into an internal error Result', async () => {
    const h = ipcHandlerFor('status.get', {
      dispatch: () => Promise.reject(new Error('dispatch bug')),
      log: node.log.scope('ipc'),
    });
    expect(await h(from(RENDERER_INDEX_URL), {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'status.get failed: dispatch bug' },
    });
  });
});

describe('tray actions through the node', () => {
  it('offers only the handlers the node has, and disables one once dispatch says unknown_handler', async () => {
    const pauseFile = pauseStateFile(dir);
    const c = createShellController({ call: node.call, log: node.log.scope('tray'), pauseFile });
    const expected = {
      syncAll: isHandlerName(TRAY_HANDLERS.syncAll),
      syncAuto: isHandlerName(TRAY_HANDLERS.syncAuto),
      senderUpdate: isHandlerName(TRAY_HANDLERS.senderUpdate),
    };
    expect(c.available()).toEqual(expected);

    // A node without the sync domain answers unknown_handler; the controller then disables the item.
    let changes = 0;
    const noSync = createShellController({
      call: (name, input) =>
        name.startsWith('sync.')
          ? Promise.resolve({ ok: false, error: { code: 'unknown_handler', message: `There is no handler named "${name}".` } })
          : node.call(name, input),
      log: node.log.scope('tray'),
      pauseFile,
    });
    noSync.onChange(() => changes++);
    const actions = noSync.actions({ openWindow: () => undefined, quit: () => undefined });
    actions.pause('2h');
    actions.syncNow();
    await new Promise((r) => setTimeout(r, 50));
    expect(noSync.available()).toMatchObject({ syncAll: false, syncAuto: false });
    expect(noSync.facts()).toMatchObject({ pausedUntil: null, syncing: false });
    expect(loadPause(pauseFile, Date.now())).toBeNull(); // a pause the node refused is not remembered
    expect(changes).toBeGreaterThan(0);
  });

  it('switches the sender through sender.config.update and reads it back', async () => {
    expect(isHandlerName(TRAY_HANDLERS.senderUpdate)).toBe(true);
    const c = createShellController({ call: node.call, log: node.log.scope('tray'), pauseFile: pauseStateFile(dir) });
    await c.refreshSender();
    const initial = c.facts().senderEnabled;
    expect(typeof initial).toBe('boolean');
    const actions = c.actions({ openWindow: () => undefined, quit: () => undefined });
    actions.setSender(!initial);
    await expect.poll(() => c.facts().senderEnabled).toBe(!initial);
    const view = await node.call('sender.config.get', {});
    expect(view.ok && view.value.config.enabled).toBe(!initial);
  });
});

describe('tray error state', () => {
  it('shows a shell error until the next successful action', async () => {
    const c = createShellController({ call: node.call, log: node.log.scope('tray'), pauseFile: pauseStateFile(dir) });
    c.setError('uncaught exception: boom');
    expect(c.facts().shellError).toBe('uncaught exception: boom');
    await c.refreshSender(); // sender.config.get succeeds
    expect(c.facts().shellError).toBeNull();
  });
});
