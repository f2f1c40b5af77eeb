/** Public surface of the market simulator (see simulator.ts for the server, price-path.ts for the maths). */
export { createSimulator } from './simulator.js';
export type { Simulator, SimulatorOptions, SimulatorUrls, SimFaults, SimulatorStats } from './simulator.js';
export { createPricePath } from './price-path.js';
export type { PricePath, PricePathOptions, SimCandle } from './price-path.js';
export { defaultInstruments, marketInstruments, OKX_USDT_SWAPS, toInstId } from './instruments.js';
export type { SimInstrument } from './instruments.js';
export type { RestFaultKind } from './faults.js';
export { candleRow, tickerValues, restTicker, wsTicker, instrumentRow, fmt } from './payloads.js';
export { NOT_FOUND_BODY, RATE_LIMIT_BODY } from './rest.js';
