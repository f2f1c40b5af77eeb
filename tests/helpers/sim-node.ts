import fs from 'node:fs';
import { afterEach } from 'vitest';
import type { NodeConfig } from '../../main/node/config.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../main/node/simulator/index.js';
import { tempDataDir } from './headless.js';

/** What a test may set on the node besides what the harness fills in. */
export type SimNodeConfig = Omit<NodeConfig, 'dataDir' | 'mode' | 'version' | 'exchange'>;

/**
 * An in-process node talking to an in-process simulator, each real. Call at a test file's top level:
 * it registers an afterEach that stops both and removes the data directory, so a failing test leaks nothing.
 */
export function useSimulatedNode(dirPrefix: string) {
  let sim: Simulator | undefined;
  let node: SyncNode | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await node?.stop();
    await sim?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    node = sim = dir = undefined;
  });
  /** `beforeNode` runs once the simulator listens, before the node exists (e.g. to queue faults for its first calls). */
  return async (
    simOpts: SimulatorOptions = {},
    config: SimNodeConfig = {},
    beforeNode?: (sim: Simulator) => void,
  ): Promise<{ sim: Simulator; node: SyncNode }> => {
    sim = createSimulator(simOpts);
    const urls = await sim.start(0);
    beforeNode?.(sim);
    dir = tempDataDir(dirPrefix);
    node = createNode({ dataDir: dir, mode: 'headless', version: 'test', exchange: urls, ...config });
    await node.start();
    return { sim, node };
  };
}

export { call } from './api.js';
