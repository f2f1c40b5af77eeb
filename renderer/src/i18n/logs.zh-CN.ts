import type { logsEn } from './logs.en';

/** 简体中文：日志页面和日志视图。每个键都必须翻译。 */
export const logsZhCN: Record<keyof typeof logsEn, string> = {
  'logs.level': '级别',
  'logs.level.all': '全部级别',
  'logs.source': '来源',
  'logs.source.all': '全部来源',
  'logs.search': '搜索',
  'logs.searchPlaceholder': '搜索日志内容…',
  'logs.follow': '自动滚动',
  'logs.count': '显示 {shown} / 共 {total} 行',
  'logs.empty': '没有匹配的日志。',
  'logs.time': '时间',
  'logs.message': '内容',
  'logs.followPaused': '向上滚动时暂停跟随',
  'logs.clearFilters': '清除筛选',
};
