/**
 * Time labels of the sum chart in the UI language. The chart's times are UTC+8 wall time shifted
 * into UTC seconds (see sum-chart.ts), so every format here reads them in UTC.
 */
import { TickMarkType, type Time } from 'lightweight-charts';
import type { Locale } from '../../i18n';

const pad = (n: number) => String(n).padStart(2, '0');
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const EN_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const ZH_DAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

const dateOf = (time: Time): Date => new Date((typeof time === 'number' ? time : 0) * 1000);

/** Axis tick: 2026 / Dec / 29 Nov / 14:30 in English, 2026年 / 12月 / 11月29日 / 14:30 in Chinese. */
export function tickLabel(time: Time, type: TickMarkType, locale: Locale): string {
  const d = dateOf(time);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  const zh = locale === 'zh-CN';
  switch (type) {
    case TickMarkType.Year:
      return zh ? `${y}年` : String(y);
    case TickMarkType.Month:
      return zh ? `${m + 1}月` : EN_MONTHS[m]!;
    case TickMarkType.DayOfMonth:
      return zh ? `${m + 1}月${day}日` : `${day} ${EN_MONTHS[m]!}`;
    default:
      return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  }
}

/** Crosshair: the ISO date, the weekday in the UI language, the UTC+8 time. */
export function crosshairLabel(time: Time, locale: Locale): string {
  const d = dateOf(time);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const wd = (locale === 'zh-CN' ? ZH_DAYS : EN_DAYS)[d.getUTCDay()]!;
  return `${date} ${wd} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
