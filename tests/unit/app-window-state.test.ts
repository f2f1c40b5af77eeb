import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPause, pauseStateFile, savePause } from '../../main/app/pause-state.js';
import {
  DEFAULT_WINDOW,
  loadWindowState,
  MIN_WINDOW,
  placeWindow,
  saveWindowState,
  windowStateFile,
  type Rect,
} from '../../main/app/window-state.js';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'csn-winstate-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const rightMonitor: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('window state file', () => {
  it('round-trips size, position and maximized through userData/window-state.json', () => {
    const file = windowStateFile(tmp());
    expect(loadWindowState(file)).toBeUndefined();
    saveWindowState(file, { x: 100, y: 50, width: 1400, height: 900, maximized: true });
    expect(loadWindowState(file)).toEqual({ x: 100, y: 50, width: 1400, height: 900, maximized: true });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['window-state.json']); // no temp file left behind
  });

  it('treats a corrupt or invalid file as absent instead of failing to open the window', () => {
    const file = windowStateFile(tmp());
    fs.writeFileSync(file, '{"width": 1400, "hei');
    expect(loadWindowState(file)).toBeUndefined();
    fs.writeFileSync(file, JSON.stringify({ width: -5, height: 'tall' }));
    expect(loadWindowState(file)).toBeUndefined();
    fs.writeFileSync(file, JSON.stringify({ width: 1000, height: 700 }));
    expect(loadWindowState(file)).toEqual({ width: 1000, height: 700, maximized: false });
  });

  it('refuses to save an invalid state', () => {
    expect(() => saveWindowState(windowStateFile(tmp()), { width: 0, height: 10, maximized: false })).toThrow();
  });
});

describe('placeWindow', () => {
  it('centres the default size on the primary display on first start', () => {
    expect(placeWindow(undefined, [laptop, rightMonitor])).toEqual({
      bounds: { x: 320, y: 120, ...DEFAULT_WINDOW },
      maximized: false,
    });
  });

  it('keeps a window where it was when that place is on a display', () => {
    const saved = { x: 2100, y: 100, width: 1600, height: 1000, maximized: true };
    expect(placeWindow(saved, [laptop, rightMonitor])).toEqual({
      bounds: { x: 2100, y: 100, width: 1600, height: 1000 },
      maximized: true,
    });
  });

  it('re-centres on the primary display when the monitor it was on is gone', () => {
    const saved = { x: 2100, y: 100, width: 1600, height: 1000, maximized: false };
    expect(placeWindow(saved, [laptop])).toEqual({ bounds: { x: 160, y: 20, width: 1600, height: 1000 }, maximized: false });
  });

  it('shrinks and pulls back a window that hangs off its display', () => {
    const saved = { x: 1500, y: 900, width: 3000, height: 2000, maximized: false };
    expect(placeWindow(saved, [laptop])).toEqual({ bounds: { x: 0, y: 0, width: 1920, height: 1040 }, maximized: false });
    const partly = { x: 1700, y: 500, width: 1000, height: 700, maximized: false };
    expect(placeWindow(partly, [laptop]).bounds).toEqual({ x: 920, y: 340, width: 1000, height: 700 });
  });

  it('re-centres a window whose title bar is above every display (unreachable)', () => {
    const saved = { x: 100, y: -2000, width: 1000, height: 700, maximized: false };
    expect(placeWindow(saved, [laptop]).bounds).toEqual({ x: 460, y: 170, width: 1000, height: 700 });
  });

  it('never goes below the minimum size unless the display itself is smaller', () => {
    const tiny = { x: 10, y: 10, width: 100, height: 100, maximized: false };
    expect(placeWindow(tiny, [laptop]).bounds).toMatchObject({ width: MIN_WINDOW.width, height: MIN_WINDOW.height });
    const small: Rect = { x: 0, y: 0, width: 640, height: 480 };
    expect(placeWindow(tiny, [small]).bounds).toEqual({ x: 0, y: 0, width: 640, height: 480 });
  });
});

describe('auto-sync pause file', () => {
  it('remembers a pause beside the window state and forgets one that ran out', () => {
    const dir = tmp();
    const file = pauseStateFile(dir);
    expect(loadPause(file, 1_000)).toBeNull();
    savePause(file, 5_000);
    expect(loadPause(file, 1_000)).toBe(5_000);
    expect(loadPause(file, 5_000)).toBeNull();
    savePause(file, 'indefinitely');
    expect(loadPause(file, Number.MAX_SAFE_INTEGER)).toBe('indefinitely');
    fs.writeFileSync(file, '{"pausedUntil":"soon"}');
    expect(loadPause(file, 0)).toBeNull();
  });
});
