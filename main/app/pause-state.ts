import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './json-file.js';
import { isPaused, type PausedUntil } from './tray-state.js';

/**
 * The tray's "pause auto-sync" choice, kept in userData/auto-sync-pause.json beside the window
 * state. The shell re-sends it to the node after start (`ShellController.applyStoredPause`), so a
 * pause chosen in the tray outlives a restart of the app.
 */
const PauseFileSchema = z.object({ pausedUntil: z.union([z.number().int(), z.literal('indefinitely'), z.null()]) }).strict();

export const pauseStateFile = (userData: string): string => path.join(userData, 'auto-sync-pause.json');

/** The stored pause, or null when none is stored or it already ran out. */
export function loadPause(file: string, now: number): PausedUntil {
  const p = readJsonFile(file, PauseFileSchema)?.pausedUntil ?? null;
  return isPaused(p, now) ? p : null;
}

export function savePause(file: string, pausedUntil: PausedUntil): void {
  writeJsonFile(file, { pausedUntil });
}
