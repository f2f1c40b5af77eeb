import { DEFAULT_COINS, instIdOf } from '../../../preload/contract/coins.js';
import { describeZodError, issuesOf } from '../../../preload/contract/issues.js';
import { HandlerError } from '../../../preload/contract/result.js';
import { SettingsPatchSchema, SettingsSchema, type Settings, type SettingsPatch } from '../../../preload/contract/settings.js';
import type { Store } from '../store/store.js';

/**
 * Settings persisted in SQLite, one row per top-level field, validated as a whole on every write.
 * Rows that no longer validate (an older or hand-edited file) fall back to their default and say so.
 */
export class SettingsStore {
  private cached: Settings;
  private readonly listeners = new Set<(next: Settings, changed: (keyof Settings)[]) => void>();

  constructor(
    private readonly store: Store,
    private readonly warn: (msg: string) => void,
  ) {
    this.seedCoinCatalog();
    this.cached = this.load();
  }

  get(): Settings {
    return this.cached;
  }

  update(patch: SettingsPatch | unknown): Settings {
    const shape = SettingsPatchSchema.safeParse(patch);
    if (!shape.success) throw new HandlerError('bad_input', describeZodError(shape.error), { issues: issuesOf(shape.error, patch) });
    const p = shape.data as SettingsPatch;
    const merged = {
      ...this.cached,
      ...p,
      exchange: p.exchange ? { ...this.cached.exchange, ...p.exchange } : this.cached.exchange,
    };
    const parsed = SettingsSchema.safeParse(merged);
    if (!parsed.success) throw new HandlerError('bad_input', describeZodError(parsed.error), { issues: issuesOf(parsed.error, merged) });
    const next = parsed.data;
    this.checkCoinsKnown(next.coins);
    const now = Date.now();
    const put = this.store.db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
    this.store.write(() => {
      for (const key of Object.keys(p) as (keyof Settings)[]) put.run(key, JSON.stringify(next[key]), now);
    });
    this.cached = next;
    const changed = Object.keys(p) as (keyof Settings)[];
    for (const l of this.listeners) l(next, changed);
    return next;
  }

  onChange(listener: (next: Settings, changed: (keyof Settings)[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Coins the node knows as OKX USDT perpetual swaps (the defaults, plus what the exchange lists). */
  knownCoins(): Set<string> {
    const rows = this.store.db.prepare('SELECT symbol FROM coins').all() as { symbol: string }[];
    return new Set(rows.map((r) => r.symbol));
  }

  private checkCoinsKnown(coins: readonly string[]): void {
    const known = this.knownCoins();
    const unknown = coins.filter((c) => !known.has(c));
    if (unknown.length > 0) {
      throw new HandlerError(
        'bad_input',
        `coins: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a known OKX USDT perpetual swap (${unknown
          .map(instIdOf)
          .join(', ')} not found)`,
        {
          issues: [
            {
              path: ['coins'],
              reason: 'coins_unknown',
              params: { coins: unknown.join(', '), n: unknown.length },
              message: 'not a known swap',
            },
          ],
        },
      );
    }
  }

  private seedCoinCatalog(): void {
    const insert = this.store.db.prepare('INSERT OR IGNORE INTO coins (symbol, inst_id, updated_at) VALUES (?, ?, ?)');
    const now = Date.now();
    this.store.write(() => {
      for (const c of DEFAULT_COINS) insert.run(c, instIdOf(c), now);
    });
  }

  private load(): Settings {
    const rows = this.store.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const raw: Record<string, unknown> = {};
    const fields = SettingsSchema.shape;
    for (const { key, value } of rows) {
      if (!Object.hasOwn(fields, key)) {
        this.warn(`settings: ignoring unknown stored field "${key}" (written by another version?)`);
        continue;
      }
      try {
        const v: unknown = JSON.parse(value);
        const ok = fields[key as keyof typeof fields].safeParse(v);
        if (ok.success) raw[key] = v;
        else this.warn(`settings: stored ${key} is invalid (${describeZodError(ok.error, key)}); using the default`);
      } catch {
        this.warn(`settings: stored ${key} is not JSON; using the default`);
      }
    }
    return SettingsSchema.parse(raw);
  }
}
