import type { HandlerName, HandlerOutput, HandlerParsedInput } from '../../../preload/contract.js';

/** The implementation side of the contract: one function per handler, input already validated. */
export type HandlerTable = {
  [K in HandlerName]: (input: HandlerParsedInput<K>) => HandlerOutput<K> | Promise<HandlerOutput<K>>;
};

/** A domain's slice of the table. */
export type HandlersOf<K extends HandlerName> = Pick<HandlerTable, K>;
