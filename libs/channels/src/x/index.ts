export * from './x-text';
export * from './x-api.client';
