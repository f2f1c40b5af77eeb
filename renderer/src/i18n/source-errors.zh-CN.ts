import type { sourceErrorsEn } from './source-errors.en';

export const sourceErrorsZhCN: Record<keyof typeof sourceErrorsEn, string> = {
  'err.source.checksum': '{name} 发来的数据校验失败，其页面已改由下一个数据源获取。若反复出现，请升级该节点。',
  'err.source.no_candles': '{name} 不提供 {bar} K线，其页面已改由下一个数据源获取。请在 {name} 上加入该K线周期，或交给交易所。',
  'err.source.columns': '{name} 发来的K线格式本节点无法读取，请升级两个节点中较旧的一个。',
  'err.source.out_of_range': '{name} 发来了请求范围之外的数据，其页面已改由下一个数据源获取。请检查它的时钟和版本。',
  'err.source.bad_row': '{name} 发来了格式错误或重复的行，其页面已改由下一个数据源获取。请检查它的数据库，或升级它。',
  'err.source.missing_bars': '{name} 声称持有 {n} 根K线却没有发来，其页面已改由下一个数据源获取。请先同步它，再重新回补。',
  'err.source.gone': '回补期间 {name} 被停用或删除，其页面已改由下一个数据源获取。',
  'err.source.refused': '{name} 的数据被拒收，其页面已改由下一个数据源获取。原因见“日志”页面。',
  'err.peer.last_failed': '上次同步失败，原因见“日志”页面。系统会自动重试。',
  'err.host.network': '无法连接 {host}（{cause}），请求已转到下一个主机。请检查网络，或“设置”中的 REST 地址。',
  'err.host.timeout': '{host} 在 {seconds} 秒内没有应答，请求已转到下一个主机。请检查网络。',
  'err.host.server': '{host} 出错（HTTP {status}），在它恢复应答前，请求会转到下一个主机。',
  'err.host.failed': '{host} 请求失败，在它恢复应答前，请求会转到下一个主机。',
};
