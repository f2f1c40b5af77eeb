/**
 * The screen registry: route id -> title and component. To deliver a screen, replace its
 * `component` here (one line) with the real one from renderer/src/screens/<area>/.
 * Order here is the order in the sidebar. `tabs` become sub-routes (#/sync/sender).
 */
import type { ComponentType } from 'react';
import type { MessageKey } from '../i18n';
import { CoinScreen } from './coin/CoinScreen';
import { BackfillScreen } from './backfill/BackfillScreen';
import { LogsScreen } from './logs/LogsScreen';
import { HistoryScreen } from './market/HistoryScreen';
import { SumCurveScreen } from './market/SumCurveScreen';
import { OverviewScreen } from './overview/OverviewScreen';
import { SettingsScreen } from './settings/SettingsScreen';
import { ReceiverScreen } from './sync/receiver/ReceiverScreen';
import { CatalogScreen } from './sync/catalog/CatalogScreen';
import { SenderScreen } from './sync/sender/SenderScreen';

export interface TabDef {
  id: string;
  titleKey: MessageKey;
  component: ComponentType;
}

export interface ScreenDef {
  id: string;
  titleKey: MessageKey;
  /** A one-character glyph for the sidebar. */
  glyph: string;
  component?: ComponentType;
  tabs?: TabDef[];
}

export const screens: ScreenDef[] = [
  { id: 'overview', titleKey: 'nav.overview', glyph: '◉', component: OverviewScreen },
  { id: 'coin', titleKey: 'nav.coin', glyph: '◈', component: CoinScreen },
  { id: 'sum', titleKey: 'nav.sum', glyph: '∑', component: SumCurveScreen },
  { id: 'history', titleKey: 'nav.history', glyph: '▦', component: HistoryScreen },
  { id: 'backfill', titleKey: 'nav.backfill', glyph: '⟲', component: BackfillScreen },
  {
    id: 'sync',
    titleKey: 'nav.sync',
    glyph: '⇄',
    tabs: [
      { id: 'sender', titleKey: 'nav.sync.sender', component: SenderScreen },
      { id: 'receiver', titleKey: 'nav.sync.receiver', component: ReceiverScreen },
      { id: 'catalog', titleKey: 'nav.sync.catalog', component: CatalogScreen },
    ],
  },
  { id: 'logs', titleKey: 'nav.logs', glyph: '≡', component: LogsScreen },
  { id: 'settings', titleKey: 'nav.settings', glyph: '⚙', component: SettingsScreen },
];

export const DEFAULT_SCREEN = 'overview';

export const findScreen = (id: string): ScreenDef | undefined => screens.find((s) => s.id === id);
