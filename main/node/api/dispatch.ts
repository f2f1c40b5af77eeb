import type { z } from 'zod';
import {
  HandlerError,
  handlerInputs,
  isHandlerName,
  issuesOf,
  type HandlerInput,
  type HandlerName,
  type HandlerOutput,
  type HandlerParsedInput,
  type Result,
} from '../../../preload/contract.js';
import { describeZodError } from '../../../preload/contract/issues.js';
import type { Logger } from '../log/logger.js';
import type { HandlerTable } from './types.js';

/** The untyped entry for transports (IPC, the control server): the name and input arrive as data. */
export type Dispatch = (name: string, rawInput: unknown) => Promise<Result<unknown>>;

/**
 * The typed in-process client: input and output per handler come from the contract
 * (`preload/contract.ts`), so callers in main and tests never cast a result. It runs through the
 * same validation as `Dispatch` — a typed caller may still pass a value the schema refuses (a port
 * out of range), and defaults are filled in the same way.
 */
export type NodeCall = <K extends HandlerName>(name: K, input: HandlerInput<K>) => Promise<Result<HandlerOutput<K>>>;

export interface Api {
  readonly dispatch: Dispatch;
  readonly call: NodeCall;
}

/** The contract's schemas seen per name, so `schemas[name]` keeps its handler's types when `name` is generic. */
type Schemas = { [K in HandlerName]: z.ZodType<HandlerParsedInput<K>, HandlerInput<K>> };
const schemas: Schemas = handlerInputs;

/**
 * The single entry both transports and in-process callers use: look the handler up, validate its
 * input with the contract's schema (the only place input is validated), run it, and turn any
 * failure into a Result.
 */
export function createApi(handlers: HandlerTable, log: Logger): Api {
  async function run<K extends HandlerName>(name: K, rawInput: unknown): Promise<Result<HandlerOutput<K>>> {
    const input = rawInput ?? {};
    const parsed = schemas[name].safeParse(input);
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'bad_input',
          message: `${name}: ${describeZodError(parsed.error)}`,
          reason: 'invalid_input',
          issues: issuesOf(parsed.error, input),
        },
      };
    }
    try {
      const handler: HandlerTable[K] = handlers[name];
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (e) {
      if (e instanceof HandlerError) {
        if (e.code === 'internal') log.error(`${name} failed: ${e.message}`);
        return { ok: false, error: e.toApiError() };
      }
      log.error(`${name} failed:`, e);
      const message = e instanceof Error ? e.message : String(e);
      return { ok: false, error: { code: 'internal', message: `${name} failed: ${message}`, reason: 'internal' } };
    }
  }

  const dispatch: Dispatch = async (name, rawInput) => {
    if (!isHandlerName(name)) {
      return {
        ok: false,
        error: { code: 'unknown_handler', message: `There is no handler named "${name}".`, reason: 'unknown_handler', params: { name } },
      };
    }
    return run(name, rawInput);
  };
  return { dispatch, call: run };
}

/** Just the transport entry (kept for callers that only route raw requests). */
export function createDispatch(handlers: HandlerTable, log: Logger): Dispatch {
  return createApi(handlers, log).dispatch;
}

export type { HandlerName };
