import { backfillEn } from './backfill.en';
import { dataEn } from './data.en';
import { barsEn } from './bars.en';
import { catalogEn } from './catalog.en';
import { causesEn } from './causes.en';
import { coinEn } from './coin.en';
import { componentsEn } from './components.en';
import { coreEn } from './core.en';
import { errorCodesEn, errorSentencesEn, fieldNamesEn } from './errors.en';
import { logsEn } from './logs.en';
import { marketEn } from './market.en';
import { overviewEn } from './overview.en';
import { pairingEn } from './pairing.en';
import { warehouseEn } from './warehouse.en';
import { receiverEn } from './receiver.en';
import { senderEn } from './sender.en';
import { settingsEn } from './settings.en';

/**
 * English strings, one dictionary file per area (<area>.en.ts beside <area>.zh-CN.ts): add an
 * area with one import and one spread line. The keys of this object are the typed key set: zh-CN
 * must translate every one (the compiler checks). `{name}` placeholders are filled by t(key, { name }).
 * Terms follow glossary.md.
 */
export const en = {
  ...coreEn,
  ...overviewEn,
  ...marketEn,
  ...settingsEn,
  ...logsEn,
  ...senderEn,
  ...catalogEn,
  ...receiverEn,
  ...backfillEn,
  ...barsEn,
  ...componentsEn,
  ...causesEn,
  ...pairingEn,
  ...warehouseEn,
  ...dataEn,
  ...coinEn,
  ...errorSentencesEn,
  ...errorCodesEn,
  ...fieldNamesEn,
} as const;

export type MessageKey = keyof typeof en;
