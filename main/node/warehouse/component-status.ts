import type { ComponentStatus, WarehouseStatus } from '../../../preload/contract.js';

/**
 * The mirror as one of the node's components: state, the sentence the UI shows (comp.warehouse.*
 * in its language; an error keeps the server's own sentence) and the rows it is behind, which the
 * tray's "safe to close" waits for.
 */
export function componentStatus(state: WarehouseStatus['state'], lastError: string | null, behind: number): ComponentStatus {
  const base = {
    name: 'warehouse',
    state: state === 'error' ? 'error' : state === 'off' ? 'idle' : 'running',
    behindRows: behind,
  } as const;
  if (state === 'error') return { ...base, detail: lastError ?? undefined };
  if (state === 'ok' && behind > 0) {
    return { ...base, detail: `mirroring, ${behind} rows behind`, text: { key: 'warehouse.behind', params: { rows: behind } } };
  }
  return { ...base, detail: state, text: { key: `warehouse.${state}` } };
}
