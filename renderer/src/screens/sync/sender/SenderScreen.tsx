import { useCallback, useEffect, useRef, useState } from 'react';
import type { SenderConfigPatch, SenderConfigView, SenderStats } from '../../../../../preload/contract';
import { callApi } from '../../../bridge/use-call';
import { LoadFailed } from '../../../components/LoadFailed';
import { useT } from '../../../i18n';
import { reasonSentence } from '../../../lib/errors';
import { useNodeEvent } from '../../../lib/use-event';
import { AccessPanel } from './AccessPanel';
import { AllowListEditor } from './AllowListEditor';
import { DevicesPanel } from './DevicesPanel';
import { PairingPanel } from './PairingPanel';
import { LimitsPanel } from './LimitsPanel';
import { ListenerPanel } from './ListenerPanel';
import { RequestLogTable } from './RequestLogTable';
import { DatasetStatsTable, StatsPanel } from './StatsPanel';
import { TokenPanel } from './TokenPanel';
import './sender.css';

const REFRESH_MS = 5_000;

/**
 * Sync › Sender: what this node serves to peers. Configuration changes go through
 * `sender.config.update` and the answer (the whole config view) replaces the screen's copy, so
 * the listening state and error shown are always the node's, never a guess.
 */
export function SenderScreen() {
  const t = useT();
  const [view, setView] = useState<SenderConfigView | null>(null);
  const [stats, setStats] = useState<SenderStats | null>(null);
  const [datasets, setDatasets] = useState<string[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const [attempt, setAttempt] = useState(0);
  /** Bumped by every applied change, so a refresh that started before it is dropped. */
  const epoch = useRef(0);

  useEffect(() => {
    let alive = true;
    Promise.all([callApi('sender.config.get', {}), callApi('sender.stats', {}), callApi('sender.catalog', {})]).then(
      ([v, s, c]) => {
        if (!alive) return;
        setLoadError(null);
        setView(v);
        setStats(s);
        setDatasets(c.datasets.map((d) => d.code));
      },
      (e: unknown) => alive && setLoadError(e),
    );
    return () => {
      alive = false;
    };
  }, [attempt]);

  // The sender can also be switched elsewhere (tray, control API, another window): a quiet
  // refresh keeps the listener state honest even when no request produces a stats event.
  const refresh = useCallback(async () => {
    const at = epoch.current;
    const [v, s] = await Promise.all([callApi('sender.config.get', {}), callApi('sender.stats', {})]);
    // A change applied meanwhile answered with a newer view; this one is older.
    if (at !== epoch.current) return;
    setView(v);
    setStats(s);
  }, []);
  useEffect(() => {
    const id = setInterval(() => void refresh().catch(() => {}), REFRESH_MS);
    return () => clearInterval(id);
  }, [refresh]);

  useNodeEvent('sender.stats', (s) => {
    setStats(s);
    setTick((n) => n + 1);
    // An event from another listener state (e.g. sent mid-rebind) means our view is stale.
    if (view && (s.state !== view.state || s.url !== (view.listening?.url ?? null))) void refresh().catch(() => {});
  });

  const apply = useCallback(async (patch: SenderConfigPatch) => {
    epoch.current += 1;
    const next = await callApi('sender.config.update', patch);
    // State, url and uptime change with the listener but the event only fires on requests, so
    // fetch them now and show both together (never a running badge beside stopped stats).
    const fresh = await callApi('sender.stats', {}).catch(() => null);
    setView(next);
    if (fresh) setStats(fresh);
  }, []);

  if (!view || !stats) {
    return loadError !== null ? (
      <LoadFailed error={loadError} onRetry={() => setAttempt((a) => a + 1)} />
    ) : (
      <p className="muted">{t('app.loading')}</p>
    );
  }

  return (
    <div className="sender">
      <div className="state-strip" data-testid="sender-status">
        <span className={`badge badge-${view.state}`} data-testid="sender-state" data-state={view.state}>
          {t(`state.${view.state}`)}
        </span>
        {view.listening ? (
          <span>
            {t('snd.listeningOn')} <span className="mono" data-testid="sender-url">{`${view.listening.host}:${view.listening.port}`}</span>
          </span>
        ) : (
          <span className="muted">{view.config.enabled ? t('snd.notListening') : t('snd.disabled')}</span>
        )}
      </div>
      {view.error && (
        <div className="alert" role="alert" data-testid="sender-error">
          {view.errorReason ? reasonSentence(t, view.errorReason.reason, view.errorReason.params) : view.error}
        </div>
      )}
      <div className="grid-2">
        <div className="stack">
          <PairingPanel view={view} />
          <ListenerPanel view={view} apply={apply} />
          <TokenPanel
            view={view}
            onChange={(v) => {
              epoch.current += 1;
              setView(v);
            }}
          />
          <AccessPanel view={view} apply={apply} />
          <LimitsPanel config={view.config} apply={apply} />
        </div>
        <div className="stack">
          <StatsPanel stats={stats} />
          <AllowListEditor saved={view.config.allowList} apply={apply} />
        </div>
      </div>
      <DevicesPanel tick={tick} />
      <DatasetStatsTable stats={stats} />
      <RequestLogTable datasets={datasets} tick={tick} />
    </div>
  );
}
