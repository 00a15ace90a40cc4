/** The lookups every web app's dictionary gives its screens. */
export interface Translator<K extends string, P extends string> {
  /** The text of `key`, with `{name}` placeholders filled from `vars`. */
  t: (key: K, vars?: Record<string, string | number>) => string;
  /** A key built from data (a status, a role): its text, or the raw value when the dictionary has none. */
  label: (prefix: P, value: string) => string;
  dateTime: (value: string | Date) => string;
}

/** The lookups of one dictionary; dates in Japan's time zone, in the `locale`'s way of writing them. */
export function translator<K extends string, P extends string>(
  dict: Record<K, string>,
  locale: string,
  dates: Pick<Intl.DateTimeFormatOptions, 'dateStyle' | 'timeStyle'>,
): Translator<K, P> {
  const format = new Intl.DateTimeFormat(locale, { ...dates, timeZone: 'Asia/Tokyo' });
  return {
    t: (key, vars) =>
      dict[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`)),
    label: (prefix, value) => {
      const key = `${prefix}.${value}`;
      return key in dict ? dict[key as K] : value;
    },
    dateTime: (value) => format.format(new Date(value)),
  };
}
