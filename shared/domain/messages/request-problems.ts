/** Texts of the problems any request can meet: sign-in, access, limits, media types, cursors, retries, the database. */
import type { MessageCatalogue } from './catalogue.ts';

export const REQUEST_PROBLEMS: MessageCatalogue = {
  unauthenticated: { zh: '需要有效的登录凭证', en: 'A valid bearer token is required' },
  forbidden: { zh: '您的角色或权限范围不允许此操作', en: 'Your role or scope does not allow this' },
  'role-not-allowed': { zh: '此操作仅限以下角色：{roles}', en: 'This route is for: {roles}' },
  'no-access-district': { zh: '您无权访问辖区 {districtId}', en: 'You have no access to district {districtId}' },
  'no-access-institution': { zh: '您无权访问机构 {institutionId}', en: 'You have no access to institution {institutionId}' },
  'cross-site-cookie': { zh: '跨站请求不能使用登录 Cookie', en: 'A cross-site request cannot use the sign-in cookie' },
  'resource-not-found': { zh: '未找到：{what}', en: '{what} was not found' },
  'route-not-found': { zh: '没有此接口：{method} {path}', en: 'Route {method} {path} was not found' },
  'payload-too-large': { zh: '请求体过大，上限为 {limitBytes} 字节', en: 'The limit is {limitBytes} bytes' },
  'malformed-request': { zh: '请求格式不正确', en: 'Malformed request' },
  'form-unreadable': { zh: '无法读取表单数据', en: 'The form data cannot be read' },
  unavailable: { zh: '数据库繁忙，请稍后重试', en: 'The database is busy; retry shortly' },
  'database-busy': { zh: '数据库繁忙，请稍后重试', en: 'The database is busy; retry shortly' },
  internal: { zh: '服务器内部出错，已记录，请稍后重试', en: 'Something went wrong on our side; it has been logged' },
  'bad-cursor': { zh: '翻页游标无效', en: 'The cursor is not valid' },
  'idempotency-in-progress': {
    zh: '使用此 Idempotency-Key 的请求仍在处理中，请几秒后重试',
    en: 'A request with this Idempotency-Key is still being processed; retry in a few seconds',
  },
  'idempotency-key-reused': {
    zh: '此 Idempotency-Key 已用于另一个请求，请为新请求使用新的键',
    en: 'This Idempotency-Key was already used with a different request body; use a new key for a new request',
  },
};
