/**
 * A URL path with `{name}` segments, defined once and used both ways: `parse` matches a
 * request path and decodes and validates each segment; `build` encodes values into a path.
 */
export class PathTemplate<K extends string> {
  private readonly re: RegExp;
  private readonly names: K[] = [];

  /** `template` like `/bots/{botId}/text`; `ids` holds the pattern each decoded segment must match. */
  constructor(
    readonly template: string,
    private readonly ids: Record<K, RegExp>,
  ) {
    const source = template
      .split('/')
      .map((segment) => {
        const name = /^\{(\w+)\}$/.exec(segment)?.[1];
        if (name === undefined) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        if (!(name in ids)) throw new RangeError(`no id pattern for {${name}} in ${template}`);
        this.names.push(name as K);
        return '([^/]+)';
      })
      .join('/');
    this.re = new RegExp(`^${source}$`);
  }

  /** The decoded segments of `path` (query string ignored), or undefined when it does not match or a segment breaks its pattern. */
  parse(path: string): Record<K, string> | undefined {
    const m = this.re.exec(path.split('?')[0]);
    if (!m) return undefined;
    const out = {} as Record<K, string>;
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i];
      const value = decode(m[i + 1]);
      if (value === undefined || !this.ids[name].test(value)) return undefined;
      out[name] = value;
    }
    return out;
  }

  /** The path for `values`, each segment URI-encoded. */
  build(values: Record<K, string>): string {
    return this.template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name as K]));
  }
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
