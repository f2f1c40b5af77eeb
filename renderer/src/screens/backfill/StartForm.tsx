import { useState } from 'react';
import { BACKFILL_BARS, BackfillBarSchema, type BackfillBar, type BackfillStatus } from '../../../../preload/contract';
import { DAY_MS, dayOf, dayStart, isDay } from '../../../../preload/contract/grid-time';
import { callApi } from '../../bridge/use-call';
import { useT } from '../../i18n';
import { useDescribeError } from '../../lib/errors';
import { barName } from '../../lib/bar-names';
import { whenValid } from '../../lib/select-value';
import { useSettingsStore } from '../../state/settings-store';
import { CoinPicker } from '../settings/CoinPicker';

/**
 * Range (UTC+8 days, both inclusive), coins (the settings' coins by default) and bar. The node
 * validates everything (future range, unknown coin, a job already running) and its sentence is
 * shown as is.
 */
export function StartForm(props: { busy: boolean; onStarted: (s: BackfillStatus) => void }) {
  const t = useT();
  const settingsCoins = useSettingsStore((s) => s.settings?.coins) ?? [];
  const today = dayOf(Date.now());
  const [from, setFrom] = useState(dayOf(Date.now() - 13 * DAY_MS));
  const [to, setTo] = useState(today);
  const [bar, setBar] = useState<BackfillBar>('30m');
  const [coins, setCoins] = useState<string[] | null>(null);
  const describe = useDescribeError();
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const chosen = coins ?? settingsCoins;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!isDay(from) || !isDay(to)) {
      setError(new Error(t('err.calendar_day')));
      return;
    }
    setSending(true);
    try {
      const s = await callApi('backfill.start', { from: dayStart(from), to: dayStart(to) + DAY_MS, bar, ...(coins ? { coins } : {}) });
      props.onStarted(s);
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="panel bf-form" onSubmit={(e) => void submit(e)} data-testid="bf-form">
      <h3>{t('bf.start.title')}</h3>
      <div className="bf-row">
        <label>
          {t('bf.from')}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="bf-from" />
        </label>
        <label>
          {t('bf.to')}
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="bf-to" />
        </label>
        <label title={t('bf.bar.hint')}>
          {t('bf.bar')}
          <select value={bar} onChange={(e) => whenValid(BackfillBarSchema, e.target.value, setBar)} data-testid="bf-barsize">
            {BACKFILL_BARS.map((b) => (
              <option key={b} value={b}>
                {barName(t, b)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={sending || props.busy || chosen.length === 0} data-testid="bf-start">
          {sending ? t('bf.starting') : t('bf.start')}
        </button>
      </div>
      <details className="bf-coins">
        <summary>
          {t('bf.coins')}
          {t('common.colon')}
          {t('bf.coins.count', { n: chosen.length })}
          {coins && (
            <button type="button" className="link" onClick={() => setCoins(null)}>
              {t('bf.coins.settings')}
            </button>
          )}
        </summary>
        <CoinPicker value={chosen} saved={settingsCoins} invalid={false} onChange={(c) => setCoins(c)} />
      </details>
      {error !== null && (
        <div className="alert" role="alert" data-testid="bf-error">
          {describe(error)}
        </div>
      )}
    </form>
  );
}
