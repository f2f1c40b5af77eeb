import type { PeerTestResult } from '../../../preload/contract/receiver.js';
import { pinnedAgent, type ClientIdentity } from '../net/pinned-tls.js';
import { PeerClient, PeerError } from './peer-client.js';
import { transportOf } from './peer-transport.js';

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
  identity: 'identity_changed',
  pairing: 'needs_pairing',
};

const LEAD: Record<PeerTestResult['outcome'], string> = {
  ok: '',
  unreachable: 'Unreachable: ',
  wrong_token: 'Wrong token: ',
  not_allowed: 'Not allowed: ',
  not_sync_node: 'Not a sync node: ',
  rate_limited: 'Rate-limited: ',
  error: 'The peer failed: ',
  needs_pairing: 'Not paired: ',
  identity_changed: 'Identity changed: ',
};

/**
 * "Test connection": the peer's catalog and status with the given token, timed, over the same
 * transport the sync loop would use (pinned TLS, or plain HTTP on loopback). Each failure becomes
 * one plain sentence: unreachable, wrong token, not allowed, not a sync node, not paired.
 */
export async function testPeer(
  p: { url: string; token: string; fingerprint: string | null; identity: ClientIdentity },
  timeoutMs: number,
): Promise<PeerTestResult> {
  const transport = transportOf(p);
  const agent = transport.kind === 'tls' ? pinnedAgent({ pin: transport.fingerprint, identity: p.identity, connections: 1 }) : undefined;
  const t0 = performance.now();
  try {
    if (transport.kind === 'needs_pairing') throw new PeerError('pairing', transport.why);
    const client = new PeerClient({ url: transport.url, token: p.token, timeoutMs, dispatcher: agent });
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
    return {
      ok: false,
      outcome,
      message: LEAD[outcome] + err.message,
      reason: err.detail.reason,
      params: err.detail.params ?? {},
      latencyMs: null,
      nodeId: null,
      protocol: null,
      datasets: [],
      senderState: null,
    };
  } finally {
    await agent?.close().catch(() => {});
  }
}
