/**
 * Standalone OKX market simulator: `npm run simulator -- --port N [--seed S] [--clock-offset-ms MS]`.
 * Prints one `okx-simulator ready {json}` line with the three base URLs, then serves until
 * SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { createSimulator, marketInstruments } from './node/simulator/index.js';

const USAGE = `Usage: npm run simulator -- [--port N] [--seed TEXT] [--clock-offset-ms MS] [--no-rate-limits] [--usdt-swaps N]
  --port N              port on 127.0.0.1 (default 18443; 0 picks a free one)
  --seed TEXT           seed of the price path (default okx-sim); the same seed gives the same prices
  --clock-offset-ms MS  run the simulated clock this far from real time (e.g. -86400000)
  --no-rate-limits      serve without OKX's per-IP rate limits
  --usdt-swaps N        list N USDT swaps, as OKX does (~250; the extra ones synthetic) instead of the 29 default`;

function fail(msg: string): never {
  console.error(`okx-simulator: ${msg}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: {
        port: { type: 'string' },
        seed: { type: 'string' },
        'clock-offset-ms': { type: 'string' },
        'no-rate-limits': { type: 'boolean', default: false },
        'usdt-swaps': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const portText = values.port ?? '18443';
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) fail(`--port must be a whole number from 0 to 65535, not "${portText}".`);
  const offsetText = values['clock-offset-ms'] ?? '0';
  if (!/^-?\d+$/.test(offsetText)) fail(`--clock-offset-ms must be a whole number of milliseconds, not "${offsetText}".`);
  if (values.seed !== undefined && values.seed.trim() === '') fail('--seed must not be empty.');
  const swapsText = values['usdt-swaps'];
  if (swapsText !== undefined && (!/^\d+$/.test(swapsText) || Number(swapsText) > 2_000))
    fail(`--usdt-swaps must be a whole number from 0 to 2000, not "${swapsText}".`);

  const sim = createSimulator({
    seed: values.seed,
    clockOffsetMs: Number(offsetText),
    rateLimits: values['no-rate-limits'] ? false : undefined,
    instruments: swapsText === undefined ? undefined : marketInstruments(Number(swapsText)),
  });
  const urls = await sim.start(Number(portText));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(0), 3_000);
    force.unref();
    await sim.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  console.log(`okx-simulator ready ${JSON.stringify(urls)}`);
}

main().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  console.error(
    `okx-simulator: ${err.code === 'EADDRINUSE' ? 'that port is already in use; pick another with --port.' : (err?.message ?? String(e))}`,
  );
  process.exit(1);
});
