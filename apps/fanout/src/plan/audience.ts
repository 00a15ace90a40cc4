// the rule lives in libs/domain (the api's preview expands targeting the same way)
export { audienceOf } from '@bousai/domain';
