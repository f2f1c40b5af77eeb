import { SettingsSchema, type HandlerInput, type Settings } from '../../../../preload/contract';

/** The form's working copy: every field as the inputs hold it (the number stays text while typed). */
export interface Draft {
  language: Settings['language'];
  nodeName: string;
  coins: string[];
  'exchange.rest': string;
  'exchange.wsPublic': string;
  'exchange.wsBusiness': string;
  closeToTray: boolean;
  startAtLogin: boolean;
  notifications: boolean;
  logBufferLines: string;
}
export type FieldId = keyof Draft;

export const FIELD_IDS: FieldId[] = [
  'language',
  'nodeName',
  'coins',
  'exchange.rest',
  'exchange.wsPublic',
  'exchange.wsBusiness',
  'closeToTray',
  'startAtLogin',
  'notifications',
  'logBufferLines',
];

export function draftOf(s: Settings): Draft {
  return {
    language: s.language,
    nodeName: s.nodeName,
    coins: [...s.coins],
    'exchange.rest': s.exchange.rest,
    'exchange.wsPublic': s.exchange.wsPublic,
    'exchange.wsBusiness': s.exchange.wsBusiness,
    closeToTray: s.closeToTray,
    startAtLogin: s.startAtLogin,
    notifications: s.notifications,
    logBufferLines: String(s.logBufferLines),
  };
}

/**
 * The patch sent to settings.update. The number is sent as typed when it is not a number, so the
 * node (the one validator) answers with its sentence instead of the form guessing.
 */
export function patchOf(d: Draft): HandlerInput<'settings.update'> {
  const n = d.logBufferLines.trim();
  return {
    language: d.language,
    nodeName: d.nodeName,
    coins: d.coins,
    exchange: { rest: d['exchange.rest'], wsPublic: d['exchange.wsPublic'], wsBusiness: d['exchange.wsBusiness'] },
    closeToTray: d.closeToTray,
    startAtLogin: d.startAtLogin,
    notifications: d.notifications,
    logBufferLines: n !== '' && Number.isFinite(Number(n)) ? Number(n) : n,
  };
}

export const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const changedFields = (a: Draft, b: Draft): FieldId[] => FIELD_IDS.filter((f) => !sameValue(a[f], b[f]));

/**
 * The saved settings moved under the form (another window, the header's language switch): take
 * the new value for every field the user has not touched, keep the user's edits.
 */
export function rebase(draft: Draft, oldBase: Draft, newBase: Draft): Draft {
  const next: Draft = { ...draft };
  for (const f of FIELD_IDS) if (sameValue(draft[f], oldBase[f])) copyField(next, newBase, f);
  return next;
}

/** One field from `from` into `to`; generic over the field so its type follows it (no cast). */
function copyField<F extends FieldId>(to: Draft, from: Draft, f: F): void {
  to[f] = from[f];
}

export const defaultSettings = (): Settings => SettingsSchema.parse({});

/** The form field an issue's path points at (`coins.3` → coins, `exchange.rest` → exchange.rest). */
export function fieldOfPath(path: readonly (string | number)[]): FieldId | null {
  const joined = path.filter((p) => typeof p === 'string').join('.');
  return FIELD_IDS.find((f) => joined === f || joined.startsWith(`${f}.`)) ?? null;
}
