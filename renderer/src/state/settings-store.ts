import { create } from 'zustand';
import type { Settings } from '../../../preload/contract';

interface SettingsState {
  settings: Settings | null;
  loadError: unknown;
  setSettings(settings: Settings): void;
  setLoadError(error: unknown): void;
}

/** The node's saved settings as last read or announced ('settings.changed'). */
export const useSettingsStore = create<SettingsState>((set) => ({
  settings: null,
  loadError: null,
  setSettings: (settings) => set({ settings, loadError: null }),
  setLoadError: (loadError) => set({ loadError }),
}));
