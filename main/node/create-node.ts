import type { NodeStatus } from '../../preload/contract.js';
import { coreHandlers } from './api/core-handlers.js';
import { marketHandlers } from './api/market-handlers.js';
import { senderHandlers } from './api/sender-handlers.js';
import { receiverHandlers } from './api/receiver-handlers.js';
import { ReceiverService } from './receiver/receiver-service.js';
import { DiscoveryService } from './discovery/discovery-service.js';
import { createDatasetRegistry } from './datasets/index.js';
import { SenderService } from './sender/sender-service.js';
import { createApi, type Dispatch, type NodeCall } from './api/dispatch.js';
import type { HandlerTable } from './api/types.js';
import type { Component } from './component.js';
import type { NodeConfig } from './config.js';
import { EventBus } from './events/bus.js';
import { createNodeLog, type NodeLog } from './log/logger.js';
import { SettingsStore } from './settings/settings-store.js';
import { createMarket, type MarketService } from './market/market-service.js';
import { Collector } from './market/collector/collector.js';
import { StoredPrices } from './market/stored-prices.js';
import { type OkxRestClient } from './okx/index.js';
import { createResolver } from './net/resolver.js';
import { BackfillEngine, Coverage } from './backfill/index.js';
import { backfillHandlers } from './api/backfill-handlers.js';
import { PeerSources } from './backfill/peer-sources.js';
import { SourceRecords } from './backfill/source-records.js';
import { hostOf } from './okx/host-pool.js';
import { orderPeers } from './settings/source-order.js';
import { createExchangeHosts } from './exchange-hosts.js';
import { sourcesHandlers } from './api/sources-handlers.js';
import { Store } from './store/store.js';
import { loadOrCreateIdentity, type NodeIdentity } from './security/identity.js';
import { pairingHandlers } from './api/pairing-handlers.js';
import { warehouseHandlers } from './api/warehouse-handlers.js';
import { coinHandlers } from './api/coin-handlers.js';
import { DerivsCollector } from './market/derivs/derivs-collector.js';
import { DerivsQueries } from './market/derivs/derivs-queries.js';
import { withinDeadline } from './timing/deadline.js';
import { WarehouseMirror } from './warehouse/mirror.js';
import { WarehouseSettingsStore } from './warehouse/settings.js';
import { RetentionService } from './datasets/retention.js';
import { candleHandlers } from './api/candle-handlers.js';
import { CandleEvents } from './market/candles/candle-events.js';
import { CandleCollector } from './market/candles/candle-collector.js';
import { candleOf, LiveCandles } from './market/candles/live-candles.js';

/** How long one component may take to stop before the node moves on (the whole stop stays < 5 s). */
const STOP_BUDGET_MS = 1_000;

export interface SyncNode {
  readonly config: NodeConfig;
  readonly bus: EventBus;
  readonly log: NodeLog;
  readonly store: Store;
  /** The certificate this node serves and presents; its node ID is what peers pin. */
  readonly identity: NodeIdentity;
  readonly settings: SettingsStore;
  /** Grid writer, live state and queries: what collectors, backfill, sender and screens use. */
  readonly market: MarketService;
  /** The one OKX REST client (shared per-endpoint pacing for collector and backfill). */
  readonly okx: OkxRestClient;
  readonly backfill: BackfillEngine;
  /** The PostgreSQL mirror (off until a warehouse URL is set and enabled). */
  readonly warehouse: WarehouseMirror;
  /** The periodic prune per settings.retention, and storage per dataset (datasets/retention.ts). */
  readonly retention: RetentionService;
  /** The API table, validated, for transports: what IPC and the control server hand raw requests to. */
  readonly dispatch: Dispatch;
  /** The same table typed from the contract, for in-process callers (shell, headless, aliases, tests). */
  readonly call: NodeCall;
  status(): NodeStatus;
  /** A port this node holds for something else (the control server): refused as the sender's port. */
  reservePort(port: number, why: string): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The composition root: builds every part of the node from its config, in order. Opening the
 * store happens here so a bad data folder fails before anything starts; background work begins
 * only in start().
 */
export function createNode(config: NodeConfig): SyncNode {
  const log = createNodeLog({ dataDir: config.dataDir, console: config.logToConsole ?? false });
  const nodeLog = log.scope('node');
  const bus = new EventBus();
  log.onLine((line) => bus.emit('log.line', line));

  const store = Store.open(config.dataDir, {
    nativeBinding: config.sqliteNativeBinding,
    checkpointInWorker: true,
    mergeInWorker: true,
    onError: (m) => log.scope('store').warn(m),
  });
  // Two ids, on purpose (see store/meta.ts): `store.nodeId` stays the origin of every row this
  // database ever wrote; the certificate's node ID is who this node is to its peers.
  const identity = loadOrCreateIdentity(config.dataDir);
  store.onCommit((c) => bus.emit('data.changed', c));
  const settings = new SettingsStore(store, (m) => log.scope('settings').warn(m));
  log.setBufferSize(settings.get().logBufferLines);
  settings.onChange((next, changed) => {
    log.setBufferSize(next.logBufferLines);
    log.scope('settings').info(`settings changed: ${changed.join(', ')}`);
    bus.emit('settings.changed', next);
  });

  // Background parts, started in this order and stopped in reverse.
  const components: Component[] = [];
  const market = createMarket({ store, bus, coins: () => settings.get().coins, log: log.scope('market'), now: config.now });
  components.push(market.component);
  // c-ares, not the OS resolver: a lookup still pending offline must not hold up the exit (net/resolver.ts).
  const resolver = createResolver({ servers: config.dnsServers });
  const hosts = createExchangeHosts({ config, settings, resolver, log: log.scope('okx') });
  const { okx, restHosts, wsHosts, sourceOrder } = hosts;
  const liveCandles = new LiveCandles();
  const candleEvents = new CandleEvents(bus);
  if (config.collect ?? true) {
    const collector = new Collector({
      store,
      market,
      rest: okx,
      ws: wsHosts,
      lookup: resolver.lookup,
      coins: () => settings.get().coins,
      log: log.scope('collector'),
      now: config.now,
      onCandle: (coin, c) => candles.observe(coin, '30m', candleOf(c)),
      extraStreams: () => candles.streams(),
    });
    const candles = new CandleCollector({
      store,
      grid: market.grid,
      rest: okx,
      events: candleEvents,
      live: liveCandles,
      wsUrl: wsHosts.business,
      lookup: resolver.lookup,
      coins: () => settings.get().coins,
      bars: () => settings.get().streams.candles,
      initialWindows: () => settings.get().initialWindows,
      log: log.scope('candles'),
      now: config.now,
    });
    settings.onChange((next, changed) => {
      if (changed.includes('coins')) collector.setCoins(next.coins);
      if (changed.includes('exchange')) collector.reconnect('exchange hosts changed');
      if (changed.includes('coins') || changed.includes('streams')) candles.refresh('settings changed');
      if (changed.includes('exchange')) candles.reconnect('exchange hosts changed');
    });
    components.push(collector, candles);
    // Derivatives streams (issue 14): their own sockets, statuses and REST fallbacks.
    const derivs = new DerivsCollector({
      store,
      rest: okx,
      wsPublic: wsHosts.public,
      lookup: resolver.lookup,
      coins: () => settings.get().coins,
      streams: () => settings.get().streams,
      log: log.scope('derivs'),
      now: config.now,
      ...config.derivs,
    });
    market.attachStreams(derivs);
    settings.onChange((_next, changed) => {
      if (changed.some((c) => c === 'coins' || c === 'streams' || c === 'exchange'))
        derivs.replan(`settings changed: ${changed.join(', ')}`);
    });
    components.push(derivs);
  }
  const coverage = new Coverage(store.db, config.now ?? Date.now);
  const { registry: datasets, skipped: datasetsSkipped } = createDatasetRegistry({
    db: store.db,
    coins: () => settings.get().coins,
    sumSeries: (from, to) => market.queries.sumSeries(from, to),
    missing: ({ from, to }, ctx) => coverage.missing(from, to, ctx.coins()).rows.map((r) => [r.ts, r.coin, r.reason]),
  });
  if (datasetsSkipped.length > 0) nodeLog.info(`datasets not in this build yet: ${datasetsSkipped.join(', ')}`);
  const sender = new SenderService({
    store,
    bus,
    log: log.scope('sender'),
    registry: datasets,
    identity,
    nodeName: () => settings.get().nodeName,
    portOverride: config.senderPort,
  });
  components.push(sender);
  const receiver = new ReceiverService({
    store,
    bus,
    log: log.scope('receiver'),
    registry: datasets,
    identity,
    nodeName: () => settings.get().nodeName,
    ...config.receiver,
    now: config.now,
  });
  components.push(receiver);
  // Discovery is LAN traffic: it runs only when the sender's LAN is on and discovery is not switched off.
  const discovery = new DiscoveryService({
    log: log.scope('discovery'),
    nodeId: store.nodeId,
    enabled: () => receiver.getConfig().discovery && sender.configView().config.lanEnabled,
    announcement: () => {
      const v = sender.configView();
      return v.listening && v.config.lanEnabled
        ? { name: settings.get().nodeName, nodeId: store.nodeId, identityNodeId: identity.nodeId, port: v.listening.port }
        : null;
    },
    known: () => {
      const peers = receiver.peers.list();
      return { nodeIds: new Set(peers.flatMap((p) => (p.nodeId ? [p.nodeId] : []))), urls: new Set(peers.map((p) => p.url)) };
    },
    onChange: (nodes) => bus.emit('discovery.changed', { nodes }),
    mdns: config.mdns,
  });
  receiver.onConfig(() => discovery.sync());
  components.push(discovery);
  const sourceRecords = new SourceRecords(store);
  // Backfill last: it stops first, so its pages in flight finish while the client is still open.
  const backfill = new BackfillEngine({
    store,
    market,
    rest: okx,
    bus,
    nodeLog: log,
    now: config.now,
    retry: config.backfillRetry,
    coins: () => settings.get().coins,
    resumeOnStart: () => settings.get().backfillResumeOnStart,
    // Issue 12: the receiver's peers are asked before the exchange.
    peers: {
      // In the user's order (Settings › Sources), without the peers switched off there.
      sources: new PeerSources({ peers: () => orderPeers(receiver.peers.list(), sourceOrder()), identity, log: log.scope('backfill') }),
      records: sourceRecords,
    },
    exchangeHost: () => hostOf(restHosts.lastOk ?? restHosts.current()),
    disputeTolerancePct: () => settings.get().disputeTolerancePct,
  });
  components.push(backfill);
  const warehouseSettings = new WarehouseSettingsStore(config.dataDir, (m) => log.scope('warehouse').warn(m));
  if (config.warehouseUrl) warehouseSettings.setOverride(config.warehouseUrl);
  const syncableCodes = () => datasets.codes().filter((c) => datasets.kindOf(c) === 'syncable');
  const warehouse = new WarehouseMirror({
    db: store.db,
    registry: datasets,
    bus,
    nodeId: store.nodeId,
    log: log.scope('warehouse'),
    coins: () => settings.get().coins,
    dbFile: store.path,
    nativeBinding: config.sqliteNativeBinding,
    ...config.warehouse,
    target: () => {
      const c = warehouseSettings.connection();
      if (!c) return null;
      const chosen = warehouseSettings.get().datasets;
      return { ...c, datasets: chosen ? chosen.filter((d) => syncableCodes().includes(d)) : syncableCodes() };
    },
  });
  // Started after the parts that write, stopped before them: it only reads the store.
  components.push(warehouse);
  const retention = new RetentionService({
    store,
    registry: datasets,
    retention: () => settings.get().retention,
    log: log.scope('retention'),
    now: config.now,
    // The sum cache assumes grid rows are never deleted (market/sum-cache.ts); a PT002 window breaks that.
    onPruned: (tables) => {
      if (tables.includes('grid_prices')) market.sums.clear();
    },
    measureOffThread: { nativeBinding: config.sqliteNativeBinding },
  });
  components.push(retention);
  settings.onChange((_next, changed) => {
    if (changed.includes('coins')) warehouse.coinsChanged();
  });

  const startedAt = Date.now();
  let running = false;
  const status = (): NodeStatus => ({
    nodeId: identity.nodeId,
    fingerprint: identity.fingerprint,
    originId: store.nodeId,
    nodeName: settings.get().nodeName,
    version: config.version,
    mode: config.mode,
    simulate: config.simulate ?? false,
    startedAt,
    uptimeMs: Date.now() - startedAt,
    dataDir: config.dataDir,
    dbPath: store.path,
    schemaVersion: store.schemaVersion,
    maxSeq: store.seq.value,
    components: components.map((c) => c.status()),
    errorsLastHour: log.errorsSince(Date.now() - 3_600_000),
    storage: retention.datasetStorage(),
  });

  const handlers: HandlerTable = {
    ...coreHandlers({ status, settings, log }),
    ...marketHandlers({
      market,
      missing: (from, to) => coverage.missing(from, to, settings.get().coins).rows,
      stored: new StoredPrices(store.db, { nodeId: store.nodeId, coins: () => settings.get().coins, collecting: config.collect ?? true }),
    }),
    ...backfillHandlers({ engine: backfill, coverage, coins: () => settings.get().coins }),
    ...senderHandlers({ sender, registry: datasets }),
    ...receiverHandlers({ receiver, discovery }),
    ...sourcesHandlers({
      peers: () => receiver.peers.list(),
      records: sourceRecords,
      hosts: restHosts,
      peerReason: (p) => receiver.errorReasonOf(p),
      wsHosts,
      candidates: hosts.candidates,
      order: sourceOrder,
    }),
    ...pairingHandlers({ sender, receiver }),
    ...coinHandlers({ queries: new DerivsQueries(store.db), coins: () => settings.get().coins }),
    ...warehouseHandlers({ settings: warehouseSettings, mirror: warehouse, syncable: syncableCodes }),
    ...candleHandlers({ db: store.db, live: liveCandles, events: candleEvents }),
  };
  const api = createApi(handlers, log.scope('api'));

  let statusTimer: NodeJS.Timeout | undefined;

  return {
    config,
    bus,
    log,
    store,
    identity,
    settings,
    market,
    okx,
    backfill,
    warehouse,
    retention,
    dispatch: api.dispatch,
    call: api.call,
    status,
    reservePort: (port, why) => sender.reservePort(port, why),
    async start() {
      if (running) return;
      running = true;
      nodeLog.info(`starting node ${identity.nodeId} (origin ${store.nodeId}, ${config.mode}) with data in ${config.dataDir}`);
      for (const c of components) await c.start();
      statusTimer = setInterval(() => bus.emit('node.status', status()), 2_000);
      statusTimer.unref();
      bus.emit('node.status', status());
    },
    async stop() {
      if (statusTimer) clearInterval(statusTimer);
      // First: a component waiting on a name lookup sees it cancelled instead of waiting it out.
      resolver.close();
      for (const c of [...components].reverse()) {
        const t0 = Date.now();
        // Each part gets a bounded time to stop, so one waiting on the network (an exchange that
        // does not answer) cannot hold up quitting; its writes are synchronous transactions, so
        // nothing committed is lost when we move on.
        try {
          if ((await withinDeadline(c.stop(), STOP_BUDGET_MS)) === 'late') {
            nodeLog.warn(`${c.name} did not stop within ${STOP_BUDGET_MS} ms; moving on`);
          }
        } catch (e) {
          nodeLog.error(`stopping ${c.name} failed:`, e);
        }
        // A slow stop is what makes a quit feel hung: say which part it was.
        if (Date.now() - t0 > 250) nodeLog.info(`stopping ${c.name} took ${Date.now() - t0} ms`);
      }
      hosts.close();
      running = false;
      nodeLog.info('node stopped');
      store.close();
    },
  };
}
