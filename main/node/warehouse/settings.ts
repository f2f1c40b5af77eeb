import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseWarehouseUrl } from './connection.js';

/** What warehouse.json holds: never the password (that is warehouse.secret, mode 0600). */
const Saved = z.object({
  url: z.string().nullable().default(null),
  enabled: z.boolean().default(false),
  /** null = every syncable dataset. */
  datasets: z.array(z.string()).nullable().default(null),
});
export type WarehouseSettings = z.infer<typeof Saved>;

function writePrivate(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/**
 * The warehouse settings in the data folder. A run override (`--warehouse-url`,
 * CSN_WAREHOUSE_URL) replaces the saved URL and turns the mirror on for that run only, unsaved.
 */
export class WarehouseSettingsStore {
  private saved: WarehouseSettings;
  private secret: string | null;
  private readonly file: string;
  private readonly secretFile: string;
  private override: { url: string; password: string | null } | null = null;

  constructor(dataDir: string, warn: (m: string) => void = () => {}) {
    this.file = path.join(dataDir, 'warehouse.json');
    this.secretFile = path.join(dataDir, 'warehouse.secret');
    this.saved = Saved.parse({});
    try {
      if (fs.existsSync(this.file)) this.saved = Saved.parse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
    } catch (e) {
      warn(`warehouse.json is unreadable, using defaults: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.secret = fs.existsSync(this.secretFile) ? fs.readFileSync(this.secretFile, 'utf8').replace(/\n$/, '') || null : null;
  }

  /** Sets the run override from a URL (its password stays in memory). Throws a WarehouseUrlError sentence. */
  setOverride(url: string): void {
    const p = parseWarehouseUrl(url);
    this.override = { url: p.safeUrl, password: p.password };
  }

  get(): WarehouseSettings & { overridden: boolean; hasPassword: boolean } {
    const o = this.override;
    return {
      url: o ? o.url : this.saved.url,
      enabled: o ? true : this.saved.enabled,
      datasets: this.saved.datasets,
      overridden: o !== null,
      hasPassword: (o ? o.password : this.secret) !== null,
    };
  }

  /** The URL (without password) and the password to connect with, when the mirror is on. */
  connection(): { url: string; password: string | null } | null {
    const s = this.get();
    if (!s.enabled || !s.url) return null;
    return { url: s.url, password: this.override ? this.override.password : this.secret };
  }

  /**
   * The URL and password a change would use: a URL with a password replaces the secret, one
   * without keeps the saved secret when host, port and user are unchanged.
   */
  candidate(url: string): { url: string; password: string | null } {
    const p = parseWarehouseUrl(url);
    if (p.password !== null) return { url: p.safeUrl, password: p.password };
    const cur = this.current();
    return { url: p.safeUrl, password: cur && sameServer(cur.url, p.safeUrl) ? cur.password : null };
  }

  update(next: { url?: { url: string; password: string | null }; enabled?: boolean; datasets?: string[] | null }): void {
    if (next.url) {
      this.saved.url = next.url.url;
      if (this.override) this.override = { ...next.url };
      this.secret = next.url.password;
      if (this.secret) writePrivate(this.secretFile, `${this.secret}\n`);
      else fs.rmSync(this.secretFile, { force: true });
    }
    if (next.enabled !== undefined) this.saved.enabled = next.enabled;
    if (next.datasets !== undefined) this.saved.datasets = next.datasets;
    writePrivate(this.file, `${JSON.stringify(this.saved, null, 2)}\n`);
  }

  /** The URL and password in effect, whether or not the mirror is on. */
  current(): { url: string; password: string | null } | null {
    if (this.override) return this.override;
    return this.saved.url ? { url: this.saved.url, password: this.secret } : null;
  }
}

function sameServer(a: string, b: string): boolean {
  const x = parseWarehouseUrl(a);
  const y = parseWarehouseUrl(b);
  return x.host === y.host && x.port === y.port && x.user === y.user;
}
