export * from './mime-message';
export * from './fake-smtp.server';
