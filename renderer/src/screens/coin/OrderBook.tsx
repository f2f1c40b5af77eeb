import type { BookLevel, CoinSnapshot } from '../../../../preload/contract';
import { useT } from '../../i18n';
import { age, price } from '../../lib/market-format';
import { contracts, depthFractions, spreadOf } from './coin-format';

/** A level's cumulative depth as a tint from the right edge, in its side's rise / fall colour. */
const depthBar = (side: 'ask' | 'bid', frac: number) => {
  const pct = `${(frac * 100).toFixed(1)}%`;
  const c = `color-mix(in srgb, var(${side === 'ask' ? '--fall' : '--rise'}) 16%, transparent)`;
  return { backgroundImage: `linear-gradient(to left, ${c} ${pct}, transparent ${pct})` };
};

/** The top 5 of the book: asks above (best at the bottom), bids below, a depth bar behind each level. */
export function OrderBook({ coin, book, now }: { coin: string; book: CoinSnapshot['book']; now: number }) {
  const t = useT();
  const depth = depthFractions(book);
  const spread = spreadOf(book);
  const empty = book.bids.length === 0 && book.asks.length === 0;
  const row = (side: 'ask' | 'bid', l: BookLevel, frac: number, i: number) => (
    <tr key={`${side}-${i}`} className={`book-${side}`} data-testid={`book-${side}`} style={depthBar(side, frac)}>
      <td className={`num mono ${side === 'ask' ? 'down' : 'up'}`}>{price(l.px, coin)}</td>
      <td className="num mono">{contracts(l.sz)}</td>
    </tr>
  );
  return (
    <section className="panel coin-book" data-testid="coin-book" data-levels={book.bids.length + book.asks.length}>
      <h2>
        {t('coin.book')}
        {book.updatedAt !== null && <span className="hint"> · {t('coin.age', { age: age(now - book.updatedAt) })}</span>}
      </h2>
      {empty ? (
        <p className="muted" data-testid="coin-book-empty">
          {t('coin.book.empty')}
        </p>
      ) : (
        <table className="table book-table">
          <thead>
            <tr>
              <th className="num">{t('coin.book.px')}</th>
              <th className="num">{t('coin.book.sz')}</th>
            </tr>
          </thead>
          <tbody>
            {book.asks.map((l, i) => row('ask', l, depth.asks[i] ?? 0, i)).reverse()}
            <tr className="book-spread">
              <td colSpan={2} className="hint" data-testid="coin-spread">
                {spread ? t('coin.book.spread', { spread: price(spread.abs, coin), pct: spread.pct.toFixed(3) }) : '—'}
              </td>
            </tr>
            {book.bids.map((l, i) => row('bid', l, depth.bids[i] ?? 0, i))}
          </tbody>
        </table>
      )}
    </section>
  );
}
