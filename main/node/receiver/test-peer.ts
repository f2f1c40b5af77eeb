import type { PeerTestResult } from '../../../preload/contract/receiver.js';
import { PeerClient, PeerError } from './peer-client.js';

const OUTCOME: Record<PeerError['kind'], PeerTestResult['outcome']> = {
  auth: 'wrong_token',
  forbidden: 'not_allowed',
  rate_limited: 'rate_limited',
  network: 'unreachable',
  timeout: 'unreachable',
  server: 'error',
  bad_page: 'not_sync_node',
  not_sync_node: 'not_sync_node',
  not_found: 'not_sync_node',
};

/**
 * "Test connection": the peer's catalog and status with the given token, timed. Each failure
 * becomes one plain sentence: unreachable, wrong token, not allowed, not a sync node.
 */
export async function testPeer(url: string, token: string, timeoutMs: number): Promise<PeerTestResult> {
  const client = new PeerClient({ url, token, timeoutMs });
  const t0 = performance.now();
  try {
    const catalog = await client.catalog();
    const latencyMs = Math.round((performance.now() - t0) * 10) / 10;
    const status = await client.status();
    return {
      ok: true,
      outcome: 'ok',
      message: `Connected to node ${catalog.nodeId ?? status.nodeId} in ${latencyMs} ms: ${catalog.datasets.length} datasets.`,
      latencyMs,
      nodeId: catalog.nodeId ?? status.nodeId,
      protocol: catalog.protocol,
      datasets: catalog.datasets.map((d) => ({ code: d.code, name: d.name, kind: d.kind, rows: d.rows, maxSeq: d.maxSeq })),
      senderState: status.state ?? null,
    };
  } catch (e) {
    const err = e instanceof PeerError ? e : new PeerError('network', (e as Error)?.message ?? String(e));
    const outcome = OUTCOME[err.kind];
    const lead: Record<PeerTestResult['outcome'], string> = {
      ok: '',
      unreachable: 'Unreachable: ',
      wrong_token: 'Wrong token: ',
      not_allowed: 'Not allowed: ',
      not_sync_node: 'Not a sync node: ',
      rate_limited: 'Rate-limited: ',
      error: 'The peer failed: ',
    };
    return {
      ok: false,
      outcome,
      message: lead[outcome] + err.message,
      reason: err.detail.reason,
      params: err.detail.params ?? {},
      latencyMs: null,
      nodeId: null,
      protocol: null,
      datasets: [],
      senderState: null,
    };
  }
}
