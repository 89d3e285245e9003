/**
 * The one URL reader/writer over declared settings (./setting.ts), shared by every view (they share one query string).
 * Each declaration becomes a zod schema for its query parameter's text; a missing or empty parameter gives the
 * default, and an invalid one gives the default together with a message that names the setting, the value and why,
 * so that a page can tell whoever opened a damaged link which setting was reset. Nothing here throws.
 */
import { z } from 'zod';
import { defaultsOf, type Declarations, type Setting, type Values } from './setting';

/** A whole number in decimal: digits with an optional sign (no '0x10', '1e2', '2.5' or 'Infinity'). */
const INTEGER_TEXT = /^[+-]?\d+$/;
/** A real number in decimal, with an optional exponent (what String(x) writes for any finite x). */
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A setting the reader reset to its default, and why. */
export interface SettingMessage {
  /** The declaration's key. */
  key: string;
  /** The query parameter and the text it held. */
  param: string;
  value: string;
  /** Why the text was refused, e.g. 'is above the maximum 1024'. */
  reason: string;
  /** One sentence for the page: "Width (width=5000) is above the maximum 1024; reset to 128." */
  text: string;
}

/** The text a declaration writes for `value`. */
export function encodeSetting(s: Setting, value: unknown): string {
  if (s.type === 'list') {
    const on = value as Record<string, boolean>;
    return s.values.filter((v) => on[v]).join(',') || s.none;
  }
  return String(value);
}

const schemaCache = new WeakMap<Setting, z.ZodType<unknown, string>>();

/** The zod schema that reads a declaration's query-parameter text (trimmed, not empty) into its value. */
export function settingSchema(s: Setting): z.ZodType<unknown, string> {
  const cached = schemaCache.get(s);
  if (cached) return cached;
  let schema: z.ZodType<unknown, string>;
  switch (s.type) {
    case 'int':
    case 'number': {
      const n = z.number().min(s.min, { error: `is below the minimum ${s.min}` }).max(s.max, { error: `is above the maximum ${s.max}` });
      const { choices } = s;
      const checked = choices ? n.refine((v) => choices.includes(v), { error: `is not one of ${choices.join(', ')}` }) : n;
      schema = z
        .string()
        .regex(s.type === 'int' ? INTEGER_TEXT : NUMBER_TEXT, { error: s.type === 'int' ? 'is not a whole number written in digits' : 'is not a number' })
        .transform(Number)
        .pipe(checked);
      break;
    }
    case 'enum':
      schema = z.string().refine((v) => s.values.includes(v), { error: `is not one of ${s.values.join(', ')}` });
      break;
    case 'boolean':
      schema = z.enum(['0', '1', 'false', 'true'], { error: 'is not true or false' }).transform((v) => v === '1' || v === 'true');
      break;
    case 'list':
      schema = z.string().transform((text, ctx) => {
        const names = text === s.none ? [] : text.split(',').map((x) => x.trim()).filter((x) => x !== '');
        const unknown = names.filter((x) => !s.values.includes(x));
        if (unknown.length > 0) {
          ctx.addIssue({ code: 'custom', message: `names ${unknown.map((x) => `'${x}'`).join(', ')}, not among ${s.values.join(', ')} (or ${s.none})` });
          return z.NEVER;
        }
        return Object.fromEntries(s.values.map((v) => [v, names.includes(v)]));
      });
      break;
  }
  schemaCache.set(s, schema);
  return schema;
}

/**
 * Reads every declaration that has a URL name from a query string.
 * @returns the values (the default for a missing, empty or invalid parameter) and one message per invalid parameter.
 */
export function readSettings<D extends Declarations>(decls: D, search: string): { values: Values<D>; messages: SettingMessage[] } {
  const params = new URLSearchParams(search);
  const values = defaultsOf(decls) as Record<string, unknown>;
  const messages: SettingMessage[] = [];
  for (const [key, s] of Object.entries(decls)) {
    if (s.url === undefined) continue;
    const raw = params.get(s.url);
    if (raw === null || raw.trim() === '') continue;
    const parsed = settingSchema(s).safeParse(raw.trim());
    if (parsed.success) {
      values[key] = parsed.data;
    } else {
      const reason = parsed.error.issues[0]?.message ?? 'is not valid';
      messages.push({ key, param: s.url, value: raw, reason, text: `${s.label} (${s.url}=${raw}) ${reason}; reset to ${encodeSetting(s, s.default)}.` });
    }
  }
  return { values: values as Values<D>, messages };
}

/**
 * `search` with the declarations' values written in: a value equal to its default is removed, every parameter that no
 * declaration owns is kept. @returns '' or '?...'.
 */
export function writeSettings<D extends Declarations>(decls: D, values: Values<D>, search: string): string {
  const params = new URLSearchParams(search);
  for (const [key, s] of Object.entries(decls)) {
    if (s.url === undefined) continue;
    const text = encodeSetting(s, (values as Record<string, unknown>)[key]);
    if (text === encodeSetting(s, s.default)) params.delete(s.url);
    else params.set(s.url, text);
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}
