/**
 * The preload: exposes exactly the contract's API as `window.coinSync`, nothing else. It runs
 * sandboxed, so scripts/build.mjs bundles it (with the contract and zod) into one CJS file.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CoinSyncApi } from './contract.js';
import { createIpcApi, IPC_EVENT_CHANNEL } from './ipc-api.js';

const api: CoinSyncApi = createIpcApi({
  invoke: (channel, input) => ipcRenderer.invoke(channel, input),
  subscribe(listener) {
    // Drop Electron's event object: the renderer gets the envelope only.
    const handler = (_e: IpcRendererEvent, envelope: unknown) => listener(envelope);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
}) satisfies CoinSyncApi;

contextBridge.exposeInMainWorld('coinSync', api);
