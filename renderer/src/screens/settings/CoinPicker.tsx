import { useState } from 'react';
import { CoinSymbol, DEFAULT_COINS } from '../../../../preload/contract';
import { useCall } from '../../bridge/use-call';
import { useT } from '../../i18n';
import { check, issueSentence, reasonSentence } from '../../lib/errors';

/** The 27 known coins as checkable chips, plus any extra coin, plus a field to add one by symbol. */
export function CoinPicker(props: { value: string[]; saved: string[]; invalid: boolean; onChange: (coins: string[]) => void }) {
  const t = useT();
  const [text, setText] = useState('');
  const [refused, setRefused] = useState<string | null>(null);
  const known = useCall('settings.knownCoins', {}).data;
  const extras = [...props.saved, ...props.value].filter(
    (c, i, all) => !(DEFAULT_COINS as readonly string[]).includes(c) && all.indexOf(c) === i,
  );
  const order = [...DEFAULT_COINS, ...extras];
  const selected = new Set(props.value);
  const set = (next: Set<string>) => props.onChange(order.filter((c) => next.has(c)).concat([...next].filter((c) => !order.includes(c))));
  const toggle = (coin: string) => {
    const next = new Set(selected);
    if (next.has(coin)) next.delete(coin);
    else next.add(coin);
    set(next);
  };
  const add = () => {
    const coin = text.trim().toUpperCase();
    if (!coin) return;
    // Refused here, with the node's own sentence: not a symbol (the contract's rule), or not a swap
    // the node knows (its instrument list). The text stays in the box to be corrected.
    const issue = check(CoinSymbol, coin)[0];
    if (issue) return setRefused(issueSentence(t, { ...issue, path: [] }));
    if (known && !known.coins.includes(coin)) return setRefused(reasonSentence(t, 'coins_unknown', { coins: coin, n: 1 }));
    setRefused(null);
    set(new Set([...selected, coin]));
    setText('');
  };
  return (
    <div className={props.invalid ? 'coins invalid' : 'coins'}>
      <div className="coin-tools">
        <span className="muted">{t('settings.coins.hint', { n: selected.size, total: order.length })}</span>
        <button type="button" className="link" onClick={() => set(new Set(order))}>
          {t('settings.coins.all')}
        </button>
        <button type="button" className="link" onClick={() => set(new Set())}>
          {t('settings.coins.none')}
        </button>
      </div>
      <div className="chips" data-testid="coin-chips">
        {order.map((coin) => (
          <label key={coin} className={selected.has(coin) ? 'chip on' : 'chip'}>
            <input type="checkbox" checked={selected.has(coin)} onChange={() => toggle(coin)} data-testid={`coin-${coin}`} />
            {coin}
          </label>
        ))}
      </div>
      <div className="row">
        <input
          aria-label={t('settings.coins.add')}
          placeholder={t('settings.coins.addPlaceholder')}
          value={text}
          maxLength={15}
          aria-invalid={refused !== null}
          onChange={(e) => {
            setText(e.target.value);
            setRefused(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
          data-testid="coin-add-input"
        />
        <button type="button" onClick={add} disabled={!text.trim()}>
          {t('settings.coins.addButton')}
        </button>
      </div>
      {refused !== null && (
        <div className="field-error" data-testid="coin-add-error">
          {refused}
        </div>
      )}
    </div>
  );
}
