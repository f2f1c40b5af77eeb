import { backfillZhCN } from './backfill.zh-CN';
import { dataZhCN } from './data.zh-CN';
import { barsZhCN } from './bars.zh-CN';
import { catalogZhCN } from './catalog.zh-CN';
import { causesZhCN } from './causes.zh-CN';
import { coinZhCN } from './coin.zh-CN';
import { componentsZhCN } from './components.zh-CN';
import { coreZhCN } from './core.zh-CN';
import type { MessageKey } from './en';
import { errorCodesZhCN, errorSentencesZhCN, fieldNamesZhCN } from './errors.zh-CN';
import { logsZhCN } from './logs.zh-CN';
import { marketZhCN } from './market.zh-CN';
import { overviewZhCN } from './overview.zh-CN';
import { pairingZhCN } from './pairing.zh-CN';
import { warehouseZhCN } from './warehouse.zh-CN';
import { receiverZhCN } from './receiver.zh-CN';
import { senderZhCN } from './sender.zh-CN';
import { settingsZhCN } from './settings.zh-CN';

/** 简体中文，按页面分文件（<area>.zh-CN.ts）。每个键都必须翻译（类型检查保证）；用词见 glossary.md，标点用全角。 */
export const zhCN: Record<MessageKey, string> = {
  ...coreZhCN,
  ...overviewZhCN,
  ...marketZhCN,
  ...settingsZhCN,
  ...logsZhCN,
  ...senderZhCN,
  ...catalogZhCN,
  ...receiverZhCN,
  ...backfillZhCN,
  ...barsZhCN,
  ...componentsZhCN,
  ...causesZhCN,
  ...pairingZhCN,
  ...warehouseZhCN,
  ...dataZhCN,
  ...coinZhCN,
  ...errorSentencesZhCN,
  ...errorCodesZhCN,
  ...fieldNamesZhCN,
};
