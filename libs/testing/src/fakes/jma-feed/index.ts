export * from './fake-jma-feed.server';
