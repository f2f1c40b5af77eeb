import { SenderConfigSchema, type SenderConfig, type SenderConfigPatch } from '../../../preload/contract/sender.js';
import { describeZodError, issuesOf } from '../../../preload/contract/issues.js';
import { HandlerError } from '../../../preload/contract/result.js';
import type { Db } from '../store/db.js';

/**
 * The sender's configuration in SQLite (`sender_state` key `config`, one JSON object validated by
 * SenderConfigSchema). A stored field that no longer validates falls back to its default and the
 * node says so; it is never writable from the sender port, only through the control API.
 */
export class SenderConfigStore {
  private cached: SenderConfig;

  constructor(
    private readonly db: Db,
    private readonly warn: (msg: string) => void,
  ) {
    this.cached = this.load();
  }

  get(): SenderConfig {
    return this.cached;
  }

  /**
   * Validates the merged result without saving (the patch itself was validated by dispatch,
   * `sender.config.update`); returns the fields that would change.
   */
  preview(patch: SenderConfigPatch): { next: SenderConfig; changed: (keyof SenderConfig)[]; patch: SenderConfigPatch } {
    const merged = { ...this.cached, ...patch };
    const parsed = SenderConfigSchema.safeParse(merged);
    if (!parsed.success) throw new HandlerError('bad_input', describeZodError(parsed.error), { issues: issuesOf(parsed.error, merged) });
    const next = parsed.data;
    const changed = (Object.keys(next) as (keyof SenderConfig)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(this.cached[k]));
    return { next, changed, patch };
  }

  /** Validates the merged result and saves it; returns the fields that really changed. */
  update(patch: SenderConfigPatch): { next: SenderConfig; changed: (keyof SenderConfig)[] } {
    const { next, changed } = this.preview(patch);
    if (changed.length > 0) {
      this.db
        .prepare(
          "INSERT INTO sender_state (key, value, updated_at) VALUES ('config', ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .run(JSON.stringify(next), Date.now());
      this.cached = next;
    }
    return { next, changed };
  }

  /**
   * Whether a port was ever chosen through the control API (Sync › Sender): from then on it wins
   * over `--sender-port`, which only sets the port until one is chosen.
   */
  get portChosen(): boolean {
    return this.db.prepare("SELECT value FROM sender_state WHERE key = 'port_chosen'").pluck(true).get() === '1';
  }

  markPortChosen(): void {
    this.db
      .prepare(
        "INSERT INTO sender_state (key, value, updated_at) VALUES ('port_chosen', '1', ?) ON CONFLICT(key) DO UPDATE SET value = '1', updated_at = excluded.updated_at",
      )
      .run(Date.now());
  }

  private load(): SenderConfig {
    const text = this.db.prepare("SELECT value FROM sender_state WHERE key = 'config'").pluck(true).get() as string | undefined;
    if (text === undefined) return SenderConfigSchema.parse({});
    let stored: Record<string, unknown> = {};
    try {
      const v: unknown = JSON.parse(text);
      if (v && typeof v === 'object' && !Array.isArray(v)) stored = v as Record<string, unknown>;
    } catch {
      this.warn('sender config: stored value is not JSON; using the defaults');
    }
    const fields = SenderConfigSchema.shape;
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(stored)) {
      if (!Object.hasOwn(fields, key)) {
        this.warn(`sender config: ignoring unknown stored field "${key}"`);
        continue;
      }
      const ok = fields[key as keyof typeof fields].safeParse(value);
      if (ok.success) raw[key] = value;
      else this.warn(`sender config: stored ${key} is invalid (${describeZodError(ok.error, key)}); using the default`);
    }
    return SenderConfigSchema.parse(raw);
  }
}
