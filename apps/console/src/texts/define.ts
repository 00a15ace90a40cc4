/**
 * The console's texts. Japanese is the source and the default; English must have every key (a missing or an extra
 * one is a type error). A typed dictionary rather than an i18n library: two languages, no plural rules to speak of
 * in either for these texts, and a compile-time check of every key at no runtime cost. Each area of the console
 * keeps its texts in its own file here (`texts(ja, en)`); `index.ts` joins them.
 */
export function texts<K extends string>(
  ja: Record<K, string>,
  en: NoInfer<Record<K, string>>,
): { ja: Record<K, string>; en: Record<K, string> } {
  return { ja, en };
}
