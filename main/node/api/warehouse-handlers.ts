import { HandlerError, type WarehouseConfigView } from '../../../preload/contract.js';
import { WarehouseUrlError } from '../warehouse/connection.js';
import type { WarehouseMirror } from '../warehouse/mirror.js';
import { probeWarehouse } from '../warehouse/probe.js';
import type { WarehouseSettingsStore } from '../warehouse/settings.js';
import type { HandlersOf } from './types.js';

/** A refused URL or server as a 400 with the reason the UI says in its language (never the password). */
function refuse(e: unknown): never {
  if (e instanceof WarehouseUrlError) throw new HandlerError('bad_input', e.message, { reason: `warehouse.${e.reason}`, params: e.params });
  throw e;
}

export function warehouseHandlers(deps: {
  settings: WarehouseSettingsStore;
  mirror: WarehouseMirror;
  syncable: () => string[];
}): HandlersOf<'warehouse.get' | 'warehouse.update' | 'warehouse.test' | 'warehouse.status'> {
  const view = (): WarehouseConfigView => {
    const s = deps.settings.get();
    return {
      url: s.url,
      enabled: s.enabled,
      datasets: s.datasets,
      overridden: s.overridden,
      hasPassword: s.hasPassword,
      syncable: deps.syncable(),
    };
  };
  /** The URL and password to use, checked against the server; the settings are untouched until it passes. */
  const checked = async (url: string | undefined) => {
    let target: { url: string; password: string | null } | null;
    try {
      target = url !== undefined ? deps.settings.candidate(url) : deps.settings.current();
    } catch (e) {
      refuse(e);
    }
    if (!target) throw new HandlerError('bad_input', 'No warehouse URL is set; enter a postgres:// URL.', { reason: 'warehouse.no_url' });
    const result = await probeWarehouse(target.url, target.password).catch(refuse);
    return { target, result };
  };
  return {
    'warehouse.get': () => view(),
    'warehouse.test': async ({ url }) => (await checked(url)).result,
    'warehouse.update': async ({ url, enabled, datasets }) => {
      const unknown = (datasets ?? []).filter((d) => !deps.syncable().includes(d));
      if (unknown.length > 0) {
        throw new HandlerError('bad_input', `Not a syncable dataset: ${unknown.join(', ')}.`, {
          reason: 'warehouse.unknown_dataset',
          params: { codes: unknown.join(', ') },
        });
      }
      let next: { url: string; password: string | null } | undefined;
      if (url !== undefined) {
        const { target, result } = await checked(url);
        if (result.missingPrivileges.length > 0) {
          const p = result.missingPrivileges.join(', ');
          throw new HandlerError('bad_input', `The warehouse user lacks ${p}; grant it or use another user.`, {
            reason: 'warehouse.no_privilege',
            params: { detail: p },
          });
        }
        next = target;
      } else if (enabled === true && !deps.settings.current()) {
        throw new HandlerError('bad_input', 'No warehouse URL is set; enter a postgres:// URL.', { reason: 'warehouse.no_url' });
      }
      deps.settings.update({ url: next, enabled, datasets });
      deps.mirror.reconfigure();
      return view();
    },
    'warehouse.status': () => deps.mirror.mirrorStatus(),
  };
}
