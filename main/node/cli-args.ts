import { parseArgs } from 'node:util';
import { defaultDataDir } from './paths.js';

export interface HeadlessArgs {
  dataDir: string;
  port: number;
  simulate: boolean;
  okxRest?: string;
  okxWsPublic?: string;
  okxWsBusiness?: string;
  senderPort?: number;
  collect: boolean;
  /** DNS servers for the exchange's hosts (default: the system's). */
  dnsServers?: string[];
  /** PostgreSQL URL to mirror into for this run (`--warehouse-url`, else CSN_WAREHOUSE_URL). */
  warehouseUrl?: string;
  help: boolean;
}

export const HEADLESS_USAGE = `Usage: npm run headless -- [--data-dir DIR] [--port N] [--simulate]
                           [--okx-rest URL] [--okx-ws-public URL] [--okx-ws-business URL]
                           [--sender-port N] [--no-collect] [--dns-servers LIST] [--warehouse-url URL]
  --data-dir DIR   where the database, logs and admin-token live (default: ${defaultDataDir()})
  --port N         control server and UI port on 127.0.0.1 (default 17400; 0 picks a free one)
  --simulate       use the built-in OKX market simulator instead of the exchange
  --okx-rest URL, --okx-ws-public URL, --okx-ws-business URL
                   exchange hosts for this run (not saved), e.g. OKX's regional hosts
  --sender-port N  sync sender port for this run (not saved; default: the stored one, 17411;
                   0 picks a free one) — lets several nodes share one machine
  --no-collect     do not collect live prices (a node that only syncs or serves stored data)
  --dns-servers LIST
                   DNS servers for the exchange's hosts, comma-separated (e.g. 1.1.1.1,[2606:4700::1111]:53);
                   default: the system's (or CSN_DNS_SERVERS)
  --warehouse-url URL
                   mirror every dataset into PostgreSQL for this run (not saved), e.g.
                   postgres://csn@db.lan:5432/market; also CSN_WAREHOUSE_URL. The password may be
                   in the URL, PGPASSWORD or ~/.pgpass; it is never logged`;

/** One DNS server as c-ares takes it: an IPv4 address, or an IPv6 one, with an optional port. */
const DNS_SERVER = /^(?:(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?|\[[0-9a-fA-F:]+\](?::\d{1,5})?|[0-9a-fA-F:]+)$/;

export class UsageError extends Error {}

/** Parses headless flags; every mistake is a UsageError with one sentence saying what to fix. */
export function parseHeadlessArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): HeadlessArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        simulate: { type: 'boolean', default: false },
        'okx-rest': { type: 'string' },
        'okx-ws-public': { type: 'string' },
        'okx-ws-business': { type: 'string' },
        'sender-port': { type: 'string' },
        'no-collect': { type: 'boolean', default: false },
        'dns-servers': { type: 'string' },
        'warehouse-url': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const portText = values.port ?? '17400';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not "${portText}".`);
  }
  const senderPortText = values['sender-port'];
  if (senderPortText !== undefined && (!/^\d+$/.test(senderPortText) || Number(senderPortText) > 65535)) {
    throw new UsageError(`--sender-port must be a whole number from 0 to 65535, not "${senderPortText}".`);
  }
  if (values['data-dir'] !== undefined && values['data-dir'].trim() === '') {
    throw new UsageError('--data-dir must name a folder.');
  }
  for (const [flag, scheme] of [
    ['okx-rest', /^https?:\/\/[^\s/]+/],
    ['okx-ws-public', /^wss?:\/\/[^\s/]+/],
    ['okx-ws-business', /^wss?:\/\/[^\s/]+/],
  ] as const) {
    const v = values[flag];
    if (v !== undefined && (!scheme.test(v) || !URL.canParse(v))) {
      throw new UsageError(`--${flag} must be a ${flag === 'okx-rest' ? 'http(s)://' : 'ws(s)://'} URL, not "${v}".`);
    }
  }
  const dnsServers = (values['dns-servers'] ?? env.CSN_DNS_SERVERS)?.split(',').map((x) => x.trim());
  const badServer = dnsServers?.find((x) => !DNS_SERVER.test(x));
  if (badServer !== undefined) {
    throw new UsageError(`--dns-servers takes IP addresses (optionally with :port), comma-separated, not "${badServer}".`);
  }
  const warehouseUrl = values['warehouse-url'] ?? (env.CSN_WAREHOUSE_URL || undefined);
  if (warehouseUrl !== undefined && !/^postgres(ql)?:\/\/[^\s/]+/.test(warehouseUrl)) {
    // Only the scheme is quoted: the rest may hold a password.
    throw new UsageError('--warehouse-url (or CSN_WAREHOUSE_URL) must be a postgres:// URL such as postgres://csn@db.lan:5432/market.');
  }
  return {
    warehouseUrl,
    dataDir: values['data-dir'] ?? defaultDataDir(),
    port,
    simulate: values.simulate ?? false,
    okxRest: values['okx-rest'],
    okxWsPublic: values['okx-ws-public'],
    okxWsBusiness: values['okx-ws-business'],
    senderPort: senderPortText === undefined ? undefined : Number(senderPortText),
    collect: !(values['no-collect'] ?? false),
    dnsServers,
    help: values.help ?? false,
  };
}
