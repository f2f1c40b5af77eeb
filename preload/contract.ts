/**
 * The one contract between the node and every UI: handler names with their input schemas,
 * output types and the event map. Main registers handlers typed against it, the preload and the
 * browser bridge expose exactly this surface, and the renderer imports only this file.
 * Each domain adds its own file under ./contract/ and one line to each list below.
 */
import type { z } from 'zod';
import { coreInputs, type CoreEvents, type CoreOutputs } from './contract/core.js';
import type { Result } from './contract/result.js';
import { senderInputs, type SenderEvents, type SenderOutputs } from './contract/sender.js';
import { marketInputs, type MarketEvents, type MarketOutputs } from './contract/market.js';
import { backfillInputs, type BackfillEvents, type BackfillOutputs } from './contract/backfill.js';
import { receiverInputs, type ReceiverEvents, type ReceiverOutputs } from './contract/receiver.js';
import { pairingInputs, type PairingEvents, type PairingOutputs } from './contract/pairing.js';
import { warehouseInputs, type WarehouseOutputs } from './contract/warehouse.js';
import { coinInputs, type CoinEvents, type CoinOutputs } from './contract/coin.js';
import { sourcesInputs, type SourcesOutputs } from './contract/sources.js';

export * from './contract/result.js';
export * from './contract/reasons.js';
export * from './contract/issues.js';
export * from './contract/coins.js';
export * from './contract/settings.js';
export * from './contract/source-order.js';
export * from './contract/core.js';
export * from './contract/sender.js';
export * from './contract/market.js';
export * from './contract/backfill.js';
export * from './contract/receiver.js';
export * from './contract/pairing.js';
export * from './contract/warehouse.js';
export * from './contract/coin.js';
export * from './contract/data-settings.js';
export * from './contract/sources.js';

export const handlerInputs = {
  ...coreInputs,
  ...senderInputs,
  ...marketInputs,
  ...backfillInputs,
  ...receiverInputs,
  ...pairingInputs,
  ...warehouseInputs,
  'market.candles': coinInputs['market.candles'],
  'market.watchCandles': coinInputs['market.watchCandles'],
  // Issue 14, derivatives (market/derivs/).
  'market.coin': coinInputs['market.coin'],
  'market.liquidations': coinInputs['market.liquidations'],
  'market.tickers': coinInputs['market.tickers'],
  ...sourcesInputs,
};

type DerivOutputs = Pick<CoinOutputs, 'market.coin' | 'market.liquidations' | 'market.tickers'>;

export interface HandlerOutputs
  extends
    CoreOutputs,
    SenderOutputs,
    MarketOutputs,
    ReceiverOutputs,
    BackfillOutputs,
    PairingOutputs,
    WarehouseOutputs,
    DerivOutputs,
    Pick<CoinOutputs, 'market.candles' | 'market.watchCandles'>,
    SourcesOutputs {}

export interface EventMap extends CoreEvents, SenderEvents, MarketEvents, ReceiverEvents, BackfillEvents, PairingEvents, CoinEvents {}

export type HandlerName = keyof typeof handlerInputs;
export type HandlerInput<K extends HandlerName> = z.input<(typeof handlerInputs)[K]>;
export type HandlerParsedInput<K extends HandlerName> = z.output<(typeof handlerInputs)[K]>;
export type HandlerOutput<K extends HandlerName> = HandlerOutputs[K];
export type EventName = keyof EventMap;

export const handlerNames = Object.keys(handlerInputs) as HandlerName[];
export const isHandlerName = (s: string): s is HandlerName => Object.hasOwn(handlerInputs, s);

/** Every handler name must have an output type and vice versa. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const contractIsComplete: Same<HandlerName, keyof HandlerOutputs> = true;
void contractIsComplete;

/** IPC channel names: one per handler plus one for events, all namespaced. */
export const ipcChannelOf = (name: HandlerName): string => `csn:${name}`;
export const IPC_EVENT_CHANNEL = 'csn:event';

export interface EventEnvelope<E extends EventName = EventName> {
  event: E;
  payload: EventMap[E];
}

/** What the preload (Electron) and the browser bridge (headless) both implement. */
export interface CoinSyncApi {
  readonly transport: 'ipc' | 'http';
  call<K extends HandlerName>(name: K, input: HandlerInput<K>): Promise<Result<HandlerOutput<K>>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}
