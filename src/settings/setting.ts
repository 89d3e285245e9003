/**
 * User settings declared as data, once, after TensorFlow Playground's `state.ts`: each setting has its URL name, its
 * type (number, int, enum, boolean or list), its default, its limits (min/max/step or the allowed values), a label
 * and a one-line help text. The URL reader/writer (./url.ts), the controls' limits and the worker's validation read
 * these declarations; nothing here imports TensorFlow.js, so the page, the worker and the Node scripts can all use it.
 */

/** What every declared setting has. */
interface SettingBase<T> {
  /** The URL query parameter that holds it; absent when the setting lives only in the page (not kept in links). */
  url?: string;
  /** Short name shown beside the control. */
  label: string;
  /** One line of help, in the paper's terms (for tooltips and help). */
  help: string;
  default: T;
}

/** A real number ('number') or a whole number ('int') in [min, max] (inclusive). */
export interface NumberSetting extends SettingBase<number> {
  type: 'number' | 'int';
  min: number;
  max: number;
  /** Granularity of a slider or number input, when it has one. */
  step?: number;
  /** The values a select offers (any value within the limits is still valid). */
  presets?: readonly number[];
  /** When set, the only valid values (each within [min, max]). */
  choices?: readonly number[];
}

/** One of a fixed list of strings. */
export interface EnumSetting<V extends string = string> extends SettingBase<V> {
  type: 'enum';
  values: readonly V[];
}

/** A switch, written `true`/`false` (`1`/`0` are read too). */
export interface BooleanSetting extends SettingBase<boolean> {
  type: 'boolean';
}

/** A subset of a fixed list, written comma-separated in the list's order, or {@link ListSetting.none} for no item. */
export interface ListSetting<V extends string = string> extends SettingBase<Readonly<Record<V, boolean>>> {
  type: 'list';
  values: readonly V[];
  /** What the URL says for the empty subset (an empty value would read as "the default"). */
  none: string;
}

/** Any declared setting. */
export type Setting = NumberSetting | EnumSetting | BooleanSetting | ListSetting;

/** A group of declared settings by key. */
export type Declarations = Readonly<Record<string, Setting>>;

/** The value type a declaration holds. */
export type ValueOf<S> = S extends NumberSetting
  ? number
  : S extends EnumSetting<infer V>
    ? V
    : S extends BooleanSetting
      ? boolean
      : S extends ListSetting<infer V>
        ? Record<V, boolean>
        : never;

/** The values of a group of declarations. */
export type Values<D extends Declarations> = { -readonly [K in keyof D]: ValueOf<D[K]> };

/** Declares a whole-number setting. */
export const intSetting = (s: Omit<NumberSetting, 'type'>): NumberSetting => ({ type: 'int', ...s });
/** Declares a real-number setting. */
export const numberSetting = (s: Omit<NumberSetting, 'type'>): NumberSetting => ({ type: 'number', ...s });
/** Declares a setting that takes one of `values` (keeps their literal type). */
export const enumSetting = <V extends string>(s: Omit<EnumSetting<V>, 'type'>): EnumSetting<V> => ({ type: 'enum', ...s });
/** Declares a switch. */
export const booleanSetting = (s: Omit<BooleanSetting, 'type'>): BooleanSetting => ({ type: 'boolean', ...s });
/** Declares a subset of `values`. */
export const listSetting = <V extends string>(s: Omit<ListSetting<V>, 'type'>): ListSetting<V> => ({ type: 'list', ...s });

/** The defaults of a group of declarations (a fresh object; list values are copied). */
export function defaultsOf<D extends Declarations>(decls: D): Values<D> {
  return Object.fromEntries(Object.entries(decls).map(([k, s]) => [k, s.type === 'list' ? { ...s.default } : s.default])) as Values<D>;
}

/** The [min, max] pair of a numeric declaration, as the TF.js modules' limit tables hold it. */
export function rangeOf(s: NumberSetting): readonly [number, number] {
  return [s.min, s.max] as const;
}

/**
 * Why `value` is not valid for a numeric declaration, in words for the control beside it, or null when it is.
 * @returns 'enter a number' (NaN or infinite), 'enter a whole number', 'between MIN and MAX' or 'one of A, B, ...'.
 */
export function numberProblem(s: NumberSetting, value: number): string | null {
  if (!Number.isFinite(value)) return 'enter a number';
  if (s.type === 'int' && !Number.isInteger(value)) return 'enter a whole number';
  if (value < s.min || value > s.max) return `between ${s.min} and ${s.max.toLocaleString('en')}`;
  if (s.choices && !s.choices.includes(value)) return `one of ${s.choices.join(', ')}`;
  return null;
}

/**
 * Why a recorded sampling run of `count` items with n steps is over its worker's limit on count x (n + 1) (every frame
 * of the trajectory is kept in memory), or null when it fits: one sentence that names the limit and what to lower, e.g.
 * "64 words × 501 frames (n + 1) = 32,064, but a run may record at most 16,016: lower the words or n (n ≤ 249 with 64 words)."
 * @param what the items ('words'). @param lower the field to lower besides n ('the words'). @param limit the worker's limit.
 */
export function framesProblem(count: number, what: string, n: number, limit: number, lower: string): string | null {
  const frames = count * (n + 1);
  if (frames <= limit) return null;
  const maxN = Math.floor(limit / count) - 1;
  const en = (v: number) => v.toLocaleString('en');
  const hint = maxN >= 1 ? ` (n ≤ ${en(maxN)} with ${en(count)} ${what})` : '';
  return `${en(count)} ${what} × ${en(n + 1)} frames (n + 1) = ${en(frames)}, but a run may record at most ${en(limit)}: lower ${lower} or n${hint}.`;
}

/** Why a declaration's own default is not valid for it, or null (a declaration check for tests). */
export function defaultProblem(s: Setting): string | null {
  switch (s.type) {
    case 'number':
    case 'int':
      return numberProblem(s, s.default);
    case 'enum':
      return s.values.includes(s.default) ? null : `default '${s.default}' is not one of ${s.values.join(', ')}`;
    case 'boolean':
      return typeof s.default === 'boolean' ? null : 'default is not a boolean';
    case 'list': {
      const keys = Object.keys(s.default);
      return keys.length === s.values.length && keys.every((k) => s.values.includes(k)) ? null : 'default does not name exactly the listed items';
    }
  }
}
