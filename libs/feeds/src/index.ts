export * from './feed-parse.error';
export * from './normalised-message';
export * from './feed-document.parser';
export { DEFAULT_MAX_BYTES } from './xml/safe-xml.reader';
export { jmaStatusFlags } from './jma/jma-report.parser';
export { capStatusFlags, parseCapReferences } from './cap/cap-alert.parser';
export * from './verify/expected-verifier';
export { toExpectedShape, type ExpectedShape } from './verify/expected-projection';
export * from './dedupe/feed-dedupe.key';
