import type { causesEn } from './causes.en';

/** 简体中文：网络错误原因（对端和配对错误中的 {cause}）。 */
export const causesZhCN: Record<keyof typeof causesEn, string> = {
  'cause.ECONNREFUSED': '连接被拒绝',
  'cause.ECONNRESET': '连接被重置',
  'cause.ETIMEDOUT': '连接超时',
  'cause.UND_ERR_CONNECT_TIMEOUT': '连接超时',
  'cause.UND_ERR_SOCKET': '连接中断',
  'cause.ENOTFOUND': '找不到该主机',
  'cause.EAI_AGAIN': '域名解析失败',
  'cause.EHOSTUNREACH': '主机不可达',
  'cause.ENETUNREACH': '网络不可达',
  'cause.bad_port': '该端口被禁止使用',
  'cause.fetch_failed': '请求失败',
};
