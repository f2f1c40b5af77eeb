import type { overviewEn } from './overview.en';

/** 简体中文：总览页面的节点信息和组件。每个键都必须翻译。 */
export const overviewZhCN: Record<keyof typeof overviewEn, string> = {
  'overview.node': '节点',
  'overview.nodeId': '节点 ID',
  'overview.nodeName': '节点名称',
  'overview.version': '版本',
  'overview.mode': '运行模式',
  'overview.mode.desktop': '桌面版',
  'overview.mode.headless': '无界面',
  'overview.simulate': '模拟行情',
  'overview.dataDir': '数据目录',
  'overview.dbPath': '数据库',
  'overview.schemaVersion': '数据库结构版本',
  'overview.maxSeq': '最大序号',
  'overview.uptime': '运行时长',
  'overview.startedAt': '启动时间',
  'overview.errorsHour': '近 1 小时错误数',
  'overview.components': '组件',
  'overview.noComponents': '暂无后台组件在运行（采集、回补和同步将随各自的功能上线）。',
  'overview.component.name': '组件',
  'overview.component.state': '状态',
  'overview.component.detail': '详情',
  'overview.recentErrors': '最近的错误和警告',
  'overview.noRecentErrors': '最近的日志中没有错误或警告。',
};
