import type { SenderConfig, SenderStats } from '../../../preload/contract/sender.js';
import type { CellReader } from '../datasets/cells.js';
import type { DatasetRegistry } from '../datasets/registry.js';
import type { ChangeFeed } from './stream.js';

/** What the sender's routes (routes.ts, cell-routes.ts) read from the node. */
export interface RouteDeps {
  registry: DatasetRegistry;
  config: () => SenderConfig;
  stats: () => SenderStats;
  feed: ChangeFeed;
  /** The store's origin id (rows' `origin`). */
  nodeId: string;
  /** The certificate identity, shown to peers beside it. */
  publicIdentity: { nodeId: string; fingerprint: string };
  /** Coverage and range pulls for other nodes' backfill (cell-routes.ts). */
  cells?: CellReader;
}
