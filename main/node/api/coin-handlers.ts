import { HandlerError } from '../../../preload/contract/result.js';
import type { DerivsQueries } from '../market/derivs/derivs-queries.js';
import type { HandlersOf } from './types.js';

/** One coin's derivatives picture, liquidations and the OKX001 board (issue 14). Inputs arrive validated. */
export function coinHandlers(deps: {
  queries: DerivsQueries;
  coins: () => readonly string[];
}): HandlersOf<'market.coin' | 'market.liquidations' | 'market.tickers'> {
  const known = (coin: string): void => {
    if (deps.coins().includes(coin) || deps.queries.knows(coin)) return;
    const message = `coin: ${coin} is not one of this node's coins and no data names it`;
    throw new HandlerError('bad_input', message, {
      issues: [{ path: ['coin'], reason: 'coins_unknown', params: { coins: coin, n: 1 }, message }],
    });
  };
  return {
    'market.coin': ({ coin }) => {
      known(coin);
      return deps.queries.coin(coin);
    },
    'market.liquidations': (q) => {
      if (q.coin) known(q.coin);
      return deps.queries.liquidations(q);
    },
    'market.tickers': () => deps.queries.tickers(),
  };
}
