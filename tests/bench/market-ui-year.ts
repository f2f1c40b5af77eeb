/** Writes a year of 30-minute grid points for 27 coins into a data folder, before a node opens it. */
import { DAY_MS, GRID_MS, dayOf, dayStart } from '../../preload/contract/grid-time.js';
import { writeGrid } from '../helpers/grid-fill.js';

/**
 * `days` full UTC+8 days ending yesterday, every coin at every grid point (a seeded random walk),
 * written through the real GridWriter so baselines and change % are the node's own.
 * Returns the [from, to) it covers.
 */
export function writeYearOfGrid(dataDir: string, days: number): { from: number; to: number; points: number } {
  const to = dayStart(dayOf(Date.now()));
  const from = to - days * DAY_MS;
  writeGrid(dataDir, { from, to, seed: 42 });
  return { from, to, points: (to - from) / GRID_MS };
}
