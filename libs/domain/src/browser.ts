/**
 * The domain's browser-safe entry, `@bousai/domain/browser`: its enums and constant lists (roles, channels, alert
 * and delivery statuses, severities, text languages, 警戒レベル) for the web apps (apps/console, apps/pwa), which
 * must not bundle `@bousai/domain` whole (argon2, node:crypto, node:net). Everything reachable from here is pure
 * TypeScript of libs/domain: .dependency-cruiser.js (`browser-entry-pure`) keeps it so.
 */
export * from './enums';
export * from './evacuation/levels';
export * from './hazard';
