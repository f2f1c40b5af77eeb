import { z } from 'zod';
import { because } from './issues.js';

/** The 27 default coins, in the order the trader reads them. */
export const DEFAULT_COINS = [
  'BTC',
  'ETH',
  'XRP',
  'BNB',
  'SOL',
  'LTC',
  'DOGE',
  'SUI',
  'TRX',
  'TON',
  'ETC',
  'BCH',
  'HBAR',
  'XLM',
  'FIL',
  'LINK',
  'CRO',
  'DOT',
  'UNI',
  'NEAR',
  'APT',
  'CFX',
  'CRV',
  'STX',
  'LDO',
  'TAO',
  'AAVE',
] as const;

export const CoinSymbol = z
  .string()
  .refine((s) => /^[A-Z0-9]{1,15}$/.test(s), because('coin_symbol', 'a coin is 1–15 capital letters or digits, such as BTC'));

/** OKX instrument id of a coin's USDT-margined perpetual swap. */
export const instIdOf = (coin: string): string => `${coin}-USDT-SWAP`;

const USDT_SWAP = /^([A-Z0-9]{1,15})-USDT-SWAP$/;

/** The coin of a USDT-margined perpetual swap's instrument id, or null for any other instrument. */
export const coinOfInstId = (instId: string): string | null => USDT_SWAP.exec(instId)?.[1] ?? null;
