/** English strings: The Logs screen and log views. Spread into en.ts. */
export const logsEn = {
  'logs.level': 'Level',
  'logs.level.all': 'All levels',
  'logs.source': 'Source',
  'logs.source.all': 'All sources',
  'logs.search': 'Search',
  'logs.searchPlaceholder': 'Text in the message…',
  'logs.follow': 'Follow',
  'logs.count': '{shown} of {total} lines',
  'logs.empty': 'No log lines match.',
  'logs.time': 'Time',
  'logs.message': 'Message',
  'logs.followPaused': 'Follow paused while you scroll up',
  'logs.clearFilters': 'Clear filters',
} as const;
