import { common } from './common';

// one line per area of the console, in both dictionaries
export const ja = {
  ...common.ja,
};

export type MessageKey = keyof typeof ja;

export const en: Record<MessageKey, string> = {
  ...common.en,
};
