export * from './levels';
export * from './order';
export {
  type OrderWordingInput,
  type WordingLanguage,
  districtPhrase,
  jstClock,
  orderMessageTexts,
  orderSeverity,
} from './wording';
export * from './receiver-announcement';
export * from './handoff';
export * from './area-mail';
export * from './handoff-checklist';
export * from './draft-settings';
