import type { StreamStatus } from '../../../../preload/contract/market.js';

/**
 * A derivatives stream's next mode. WS while its sockets are up and its pushes recent (or the
 * sockets opened less than a silence ago and no push came yet: first pushes take their time);
 * otherwise REST when it has a REST source, else down. `silenceMs` null: the stream may be quiet
 * for long (liquidations), so only the sockets count. From 'down' only a successful poll leads to
 * 'rest' (the caller sets it).
 */
export function nextMode(s: {
  current: StreamStatus['mode'];
  hasRest: boolean;
  /** Wall time each of its connections opened (null = not open). */
  openedWalls: readonly (number | null)[];
  lastPushWall: number | null;
  silenceMs: number | null;
  wall: number;
}): { mode: StreamStatus['mode']; up: boolean; fresh: boolean } {
  const up = s.openedWalls.length > 0 && s.openedWalls.every((t) => t !== null);
  const fresh = up && (s.silenceMs === null || (s.lastPushWall !== null && s.wall - s.lastPushWall < s.silenceMs));
  const opened = s.openedWalls.map((t) => t ?? 0);
  const settling =
    up && s.silenceMs !== null && opened.every((t) => s.wall - t < s.silenceMs!) && (s.lastPushWall ?? 0) < Math.min(...opened);
  const mode = fresh || settling ? 'ws' : s.hasRest ? (s.current === 'ws' ? 'rest' : s.current) : 'down';
  return { mode, up, fresh };
}
