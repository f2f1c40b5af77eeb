import { z } from 'zod';
import { because } from './issues.js';

const Code = z.string().refine((s) => /^[A-Z]{2,3}[0-9A-Z]{3}$/.test(s), because('dataset_code', 'must be a dataset code such as PT002'));
const Url = z.string().trim().min(1).max(2_000);

export const warehouseInputs = {
  'warehouse.get': z.object({}).strict(),
  /** `datasets: null` mirrors every syncable dataset (the default). */
  'warehouse.update': z
    .object({ url: Url.optional(), enabled: z.boolean().optional(), datasets: z.array(Code).max(100).nullable().optional() })
    .strict(),
  /** Tests `url`, or the saved URL (with the saved password) when none is given. */
  'warehouse.test': z.object({ url: Url.optional() }).strict(),
  'warehouse.status': z.object({}).strict(),
};

/** The settings as handlers show them: the URL without its password, never the password. */
export interface WarehouseConfigView {
  url: string | null;
  enabled: boolean;
  /** null = every syncable dataset. */
  datasets: string[] | null;
  /** Set for this run by --warehouse-url / CSN_WAREHOUSE_URL. */
  overridden: boolean;
  hasPassword: boolean;
  /** The syncable datasets a user may choose from. */
  syncable: string[];
}

export interface WarehouseTestResult {
  serverVersion: string;
  /** The timescaledb extension is installed in the database. */
  timescale: boolean;
  /** It could be installed (pg_available_extensions lists it). */
  timescaleAvailable: boolean;
  /** What the user lacks to mirror, e.g. "CREATE on database csn"; empty when nothing. */
  missingPrivileges: string[];
}

export interface WarehouseDatasetStatus {
  code: string;
  table: string;
  nodeSeq: number;
  mirroredSeq: number;
  lagRows: number;
  rows: number;
  lastWriteAt: number | null;
  /** Set when this dataset stopped (its table no longer fits); the others go on. */
  error: string | null;
}

export interface WarehouseStatus {
  state: 'off' | 'connecting' | 'ok' | 'error';
  lastError: string | null;
  timescale: boolean;
  datasets: WarehouseDatasetStatus[];
}

export interface WarehouseOutputs {
  'warehouse.get': WarehouseConfigView;
  'warehouse.update': WarehouseConfigView;
  'warehouse.test': WarehouseTestResult;
  'warehouse.status': WarehouseStatus;
}
