import { HandlerError, handlerInputs, isHandlerName, issuesOf, type HandlerName, type Result } from '../../../preload/contract.js';
import { describeZodError } from '../settings/settings-store.js';
import type { Logger } from '../log/logger.js';
import type { HandlerTable } from './types.js';

export type Dispatch = (name: string, rawInput: unknown) => Promise<Result<unknown>>;

/**
 * The single entry both transports use (IPC and the control server): look the handler up,
 * validate its input with the contract's schema, run it, and turn any failure into a Result.
 */
export function createDispatch(handlers: HandlerTable, log: Logger): Dispatch {
  return async (name, rawInput) => {
    if (!isHandlerName(name)) {
      return {
        ok: false,
        error: { code: 'unknown_handler', message: `There is no handler named "${name}".`, reason: 'unknown_handler', params: { name } },
      };
    }
    const parsed = handlerInputs[name].safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issues = issuesOf(parsed.error, rawInput ?? {});
      return {
        ok: false,
        error: { code: 'bad_input', message: `${name}: ${describeZodError(parsed.error)}`, reason: 'invalid_input', issues },
      };
    }
    try {
      const fn = handlers[name] as (input: unknown) => unknown;
      const value = await fn(parsed.data);
      return { ok: true, value };
    } catch (e) {
      if (e instanceof HandlerError) {
        if (e.code === 'internal') log.error(`${name} failed: ${e.message}`);
        return { ok: false, error: e.toApiError() };
      }
      log.error(`${name} failed:`, e);
      return {
        ok: false,
        error: { code: 'internal', message: `${name} failed: ${(e as Error)?.message ?? String(e)}`, reason: 'internal' },
      };
    }
  };
}

export type { HandlerName };
