import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './json-file.js';

/**
 * The window's size, position and maximized flag, remembered in userData/window-state.json.
 * Pure logic: displays come in as data, so clamping is tested without Electron's `screen`.
 */
export const WindowStateSchema = z
  .object({
    x: z.number().int().optional(),
    y: z.number().int().optional(),
    width: z.number().int().min(1).max(100_000),
    height: z.number().int().min(1).max(100_000),
    maximized: z.boolean().default(false),
  })
  .strict();
export type WindowState = z.infer<typeof WindowStateSchema>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW = { width: 1280, height: 800 } as const;
export const MIN_WINDOW = { width: 800, height: 560 } as const;

export const windowStateFile = (userData: string): string => path.join(userData, 'window-state.json');

export function loadWindowState(file: string): WindowState | undefined {
  return readJsonFile(file, WindowStateSchema);
}

export function saveWindowState(file: string, state: WindowState): void {
  writeJsonFile(file, WindowStateSchema.parse(state));
}

function intersection(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), Math.max(lo, hi));

export interface WindowPlacement {
  bounds: Rect;
  maximized: boolean;
}

/**
 * Where to open the window given the saved state and the displays' work areas (primary first).
 * A window whose title bar would be off every screen (a monitor was unplugged) is centred on the
 * primary display; otherwise it is moved and shrunk just enough to fit the display it is mostly on.
 */
export function placeWindow(saved: WindowState | undefined, displays: Rect[]): WindowPlacement {
  const primary = displays[0] ?? { x: 0, y: 0, ...DEFAULT_WINDOW };
  let width = saved?.width ?? DEFAULT_WINDOW.width;
  let height = saved?.height ?? DEFAULT_WINDOW.height;
  const maximized = saved?.maximized ?? false;

  let target: Rect | undefined;
  if (saved?.x !== undefined && saved.y !== undefined) {
    const titleBar = { x: saved.x, y: saved.y, width, height: 32 };
    const visible = displays.filter((d) => intersection(titleBar, d) >= 32 * 32);
    const rect = { x: saved.x, y: saved.y, width, height };
    target = visible.sort((a, b) => intersection(rect, b) - intersection(rect, a))[0];
  }
  const d = target ?? primary;
  width = clamp(width, Math.min(MIN_WINDOW.width, d.width), d.width);
  height = clamp(height, Math.min(MIN_WINDOW.height, d.height), d.height);
  if (target && saved?.x !== undefined && saved.y !== undefined) {
    return {
      bounds: {
        x: clamp(saved.x, d.x, d.x + d.width - width),
        y: clamp(saved.y, d.y, d.y + d.height - height),
        width,
        height,
      },
      maximized,
    };
  }
  return {
    bounds: {
      x: Math.round(d.x + (d.width - width) / 2),
      y: Math.round(d.y + (d.height - height) / 2),
      width,
      height,
    },
    maximized,
  };
}
