import type { NodeCall } from '../../main/node/api/dispatch.js';
import type { HandlerInput, HandlerName, HandlerOutput, Result } from '../../preload/contract.js';

/** A handler's value; an error answer throws with its code and sentence. */
export function valueOf<T>(name: string, r: Result<T>): T {
  if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Calls a handler through the node's typed client (validated in dispatch) and returns its value. */
export async function call<K extends HandlerName>(n: { call: NodeCall }, name: K, input: HandlerInput<K>): Promise<HandlerOutput<K>> {
  return valueOf(name, await n.call(name, input));
}
