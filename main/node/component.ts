import type { ComponentStatus } from '../../preload/contract.js';

/** A long-running part of the node (collector, sender, sync loops). Nothing runs before start(). */
export interface Component {
  readonly name: string;
  start(): void | Promise<void>;
  /** Must finish in-flight work (or abandon it safely) and resolve; the node closes the DB after. */
  stop(): void | Promise<void>;
  status(): ComponentStatus;
}
