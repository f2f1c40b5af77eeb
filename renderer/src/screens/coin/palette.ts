import { effectiveUpDown, type UpDown } from '../../state/settings-store';
import type { Palette } from './candle-data';

const css = (name: string, fallback: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

/**
 * Rise / fall colours of the chart from the red-up / green-up setting. Read from --up / --down
 * (fixed) rather than --rise / --fall: the App sets data-updown in its own effect, which runs after
 * this screen's, so the swapped variables may not be in place yet when the chart is built.
 */
export function paletteOf(upDown: UpDown, locale: 'en' | 'zh-CN'): Palette {
  const green = css('--up', '#1fbf75');
  const red = css('--down', '#f0465a');
  return effectiveUpDown(upDown, locale) === 'red-up' ? { rise: red, fall: green } : { rise: green, fall: red };
}
