import { z } from 'zod';
import { create } from 'zustand';
import type { Settings } from '../../../preload/contract';

/** Which price direction is red: 'red-up' (Chinese brokers, OKX's 中文 default) or 'green-up'; 'auto' follows the language. */
export const UpDownSchema = z.enum(['auto', 'red-up', 'green-up']);
export type UpDown = z.infer<typeof UpDownSchema>;

const UP_DOWN_KEY = 'csn.upDown';

/** This browser's colour choice (a display preference, not a node setting: each screen keeps its own). */
function readUpDown(): UpDown {
  try {
    const parsed = UpDownSchema.safeParse(globalThis.localStorage?.getItem(UP_DOWN_KEY));
    return parsed.success ? parsed.data : 'auto';
  } catch {
    return 'auto';
  }
}

interface SettingsState {
  settings: Settings | null;
  loadError: unknown;
  upDown: UpDown;
  setSettings(settings: Settings): void;
  setLoadError(error: unknown): void;
  setUpDown(upDown: UpDown): void;
}

/** The node's saved settings as last read or announced ('settings.changed'), and this UI's own display preferences. */
export const useSettingsStore = create<SettingsState>((set) => ({
  settings: null,
  loadError: null,
  upDown: readUpDown(),
  setSettings: (settings) => set({ settings, loadError: null }),
  setLoadError: (loadError) => set({ loadError }),
  setUpDown: (upDown) => {
    try {
      globalThis.localStorage?.setItem(UP_DOWN_KEY, upDown);
    } catch {
      // Storage refused (private mode): the choice holds until reload.
    }
    set({ upDown });
  },
}));

/** The colours in effect: red-up in zh-CN and green-up in English unless the user chose. */
export const effectiveUpDown = (upDown: UpDown, locale: 'en' | 'zh-CN'): 'red-up' | 'green-up' =>
  upDown === 'auto' ? (locale === 'zh-CN' ? 'red-up' : 'green-up') : upDown;
