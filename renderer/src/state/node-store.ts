import { create } from 'zustand';
import type { NodeStatus } from '../../../preload/contract';
import type { ConnectionState } from '../bridge';

interface NodeState {
  transport: 'ipc' | 'http';
  connection: ConnectionState;
  status: NodeStatus | null;
  /** Local clock when `status` arrived, so uptime can tick between status events. */
  statusAt: number;
  lastEventAt: number | null;
  statusError: unknown;
  setStatus(status: NodeStatus): void;
  setStatusError(error: unknown): void;
  setConnection(transport: 'ipc' | 'http', connection: ConnectionState): void;
  sawEvent(): void;
  /** A data commit moved the node-wide seq forward before the next status event. */
  bumpMaxSeq(maxSeq: number): void;
}

export const useNodeStore = create<NodeState>((set) => ({
  transport: 'http',
  connection: 'connecting',
  status: null,
  statusAt: 0,
  lastEventAt: null,
  statusError: null,
  setStatus: (status) => set({ status, statusAt: Date.now(), statusError: null }),
  setStatusError: (statusError) => set({ statusError }),
  setConnection: (transport, connection) => set({ transport, connection }),
  sawEvent: () => set({ lastEventAt: Date.now() }),
  bumpMaxSeq: (maxSeq) => set((s) => (s.status && maxSeq > s.status.maxSeq ? { status: { ...s.status, maxSeq } } : {})),
}));
