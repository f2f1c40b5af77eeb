import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { handlerNames, ipcChannelOf, type HandlerName, type Result } from '../../preload/contract.js';
import type { Dispatch } from '../node/api/dispatch.js';
import type { Logger } from '../node/log/logger.js';
import { isRendererUrl } from './security-policy.js';

export interface IpcDeps {
  dispatch: Dispatch;
  log: Logger;
  /** Which sender frames may call; defaults to "pages of our renderer". */
  isTrustedUrl?: (url: string | undefined) => boolean;
}

/** The part of IpcMain we use, so registration is testable with a recording stand-in. */
export type IpcRegistrar = Pick<IpcMain, 'handle' | 'removeHandler'>;
type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

/**
 * One IPC handler: check the sender is our renderer, then hand the raw input to the node's
 * dispatch, which validates it with the contract's schema (the same path the control server
 * takes). Always resolves with a Result: a bad renderer gets an error, main never throws.
 */
export function ipcHandlerFor(name: HandlerName, deps: IpcDeps) {
  const trusted = deps.isTrustedUrl ?? isRendererUrl;
  return async (event: SenderEvent, input: unknown): Promise<Result<unknown>> => {
    let url: string | undefined;
    try {
      url = event.senderFrame?.url;
    } catch {
      url = undefined; // the frame was destroyed mid-call
    }
    if (!trusted(url)) {
      deps.log.warn(`refused IPC ${name} from ${url ?? 'an unknown frame'}`);
      return { ok: false, error: { code: 'forbidden', message: `${name}: calls are only accepted from the app's own window.` } };
    }
    try {
      return await deps.dispatch(name, input);
    } catch (e) {
      // dispatch already catches handler errors; this guards against a bug in dispatch itself.
      deps.log.error(`IPC ${name} failed:`, e);
      return { ok: false, error: { code: 'internal', message: `${name} failed: ${(e as Error)?.message ?? String(e)}` } };
    }
  };
}

/** Registers one `ipcMain.handle` per contract handler; returns a function that removes them. */
export function registerIpc(ipcMain: IpcRegistrar, deps: IpcDeps): () => void {
  const channels = handlerNames.map((name) => {
    const channel = ipcChannelOf(name);
    ipcMain.handle(channel, ipcHandlerFor(name, deps));
    return channel;
  });
  return () => channels.forEach((c) => ipcMain.removeHandler(c));
}
