import { readFileSync } from 'node:fs';

/**
 * A small validator for the JSON-Schema subset OpenAPI 3 specs use (providers' official specs in
 * shared/providers/): $ref (local `#/...`), allOf, anyOf, oneOf, type (with `nullable`), enum,
 * required, properties, additionalProperties (false or a schema), items, minimum/maximum,
 * minItems/maxItems. Formats and string patterns are not checked. It is generic on purpose (IonQ,
 * Braket...): tests use it to show that what an adapter sends and what an emulator or nock fixture
 * answers match the documented shapes exactly.
 */
export type Schema = Record<string, unknown>;

export interface ValidationIssue {
  /** JSON path of the offending value ("$.input.circuit[0].gate"). */
  readonly path: string;
  readonly message: string;
}

export interface ValidateOptions {
  /** JSON paths whose issues are ignored (documented spec inconsistencies); a trailing `*` matches a prefix. */
  readonly ignore?: readonly string[];
}

export class OpenApiSpec {
  readonly doc: Record<string, unknown>;

  constructor(doc: Record<string, unknown>) {
    this.doc = doc;
  }

  static load(path: string): OpenApiSpec {
    return new OpenApiSpec(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>);
  }

  /** A schema by name (`components/schemas/<name>`). */
  schema(name: string): Schema {
    return this.resolve({ $ref: `#/components/schemas/${name}` });
  }

  /** The request-body schema of an operation. */
  requestSchema(method: string, path: string): Schema {
    const op = this.operation(method, path);
    const body = this.resolve(op.requestBody as Schema);
    const content = (body.content as Record<string, { schema: Schema }>)['application/json'];
    if (!content) throw new Error(`${method} ${path}: no application/json request body`);
    return content.schema;
  }

  /** The response schema of an operation for a status (or undefined when the spec gives none). */
  responseSchema(method: string, path: string, status: number | string): Schema | undefined {
    const op = this.operation(method, path);
    const responses = op.responses as Record<string, Schema>;
    const r = responses[String(status)];
    if (!r) throw new Error(`${method} ${path}: the spec documents no ${status} response`);
    const res = this.resolve(r);
    const content = (res.content as Record<string, { schema: Schema }> | undefined)?.['application/json'];
    return content?.schema;
  }

  operation(method: string, path: string): Schema {
    const item = (this.doc.paths as Record<string, Record<string, Schema>>)[path];
    const op = item?.[method.toLowerCase()];
    if (!op) throw new Error(`the spec has no operation ${method.toUpperCase()} ${path}`);
    return op;
  }

  resolve(s: Schema): Schema {
    let cur = s;
    for (let guard = 0; typeof cur.$ref === 'string'; guard++) {
      if (guard > 50) throw new Error(`$ref loop at ${String(cur.$ref)}`);
      const ref = cur.$ref as string;
      if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
      let node: unknown = this.doc;
      for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      if (!node || typeof node !== 'object') throw new Error(`unresolvable $ref ${ref}`);
      // Sibling keywords next to $ref (OpenAPI 3.1 allows description/title) are annotations here.
      cur = node as Schema;
    }
    return cur;
  }

  /** Every issue of `value` against `schema` (empty when valid). */
  validate(value: unknown, schema: Schema, options: ValidateOptions = {}): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    this.check(value, schema, '$', issues);
    const ignored = (p: string): boolean => (options.ignore ?? []).some((g) => (g.endsWith('*') ? p.startsWith(g.slice(0, -1)) : p === g));
    return issues.filter((i) => !ignored(i.path));
  }

  private check(v: unknown, raw: Schema, path: string, out: ValidationIssue[]): void {
    const s = this.resolve(raw);
    if (v === null) {
      if (s.nullable === true || (Array.isArray(s.type) && s.type.includes('null')) || s.type === 'null') return;
      // allOf: [{$ref}], nullable: true is the common nullable-ref idiom: the nullable sits on the outer schema.
      if (raw.nullable === true) return;
    }
    if (Array.isArray(s.allOf)) for (const sub of s.allOf as Schema[]) this.check(v, sub, path, out);
    for (const key of ['anyOf', 'oneOf'] as const) {
      const alts = s[key] as Schema[] | undefined;
      if (!Array.isArray(alts)) continue;
      const results = alts.map((alt) => {
        const sub: ValidationIssue[] = [];
        this.check(v, alt, path, sub);
        return sub;
      });
      const ok = results.filter((r) => r.length === 0).length;
      if (key === 'anyOf' && ok === 0) out.push(...closest(results, path, 'anyOf'));
      if (key === 'oneOf' && ok !== 1) {
        if (ok === 0) out.push(...closest(results, path, 'oneOf'));
        else out.push({ path, message: `matches ${ok} oneOf alternatives, exactly one expected` });
      }
    }
    if (v === null && s.type !== undefined) {
      out.push({ path, message: 'is null but the schema is not nullable' });
      return;
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => e === v)) {
      out.push({ path, message: `${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}` });
    }
    const type = s.type as string | string[] | undefined;
    if (type !== undefined) {
      const types = Array.isArray(type) ? type : [type];
      if (!types.some((t) => isType(v, t))) {
        out.push({ path, message: `expected ${types.join('|')}, got ${describe(v)}` });
        return;
      }
    }
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && v < s.minimum) out.push({ path, message: `${v} < minimum ${s.minimum}` });
      if (typeof s.maximum === 'number' && v > s.maximum) out.push({ path, message: `${v} > maximum ${s.maximum}` });
    }
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems)
        out.push({ path, message: `${v.length} items < minItems ${s.minItems}` });
      if (typeof s.maxItems === 'number' && v.length > s.maxItems)
        out.push({ path, message: `${v.length} items > maxItems ${s.maxItems}` });
      if (s.items && typeof s.items === 'object') v.forEach((x, i) => this.check(x, s.items as Schema, `${path}[${i}]`, out));
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const obj = v as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const r of (s.required ?? []) as string[]) if (!(r in obj)) out.push({ path, message: `missing required property '${r}'` });
      for (const [k, x] of Object.entries(obj)) {
        const p = `${path}.${k}`;
        if (props[k]) this.check(x, props[k], p, out);
        else if (s.additionalProperties === false) out.push({ path: p, message: `property '${k}' is not allowed` });
        else if (s.additionalProperties && typeof s.additionalProperties === 'object')
          this.check(x, s.additionalProperties as Schema, p, out);
      }
    }
  }
}

/** The issues of the alternative that came closest (fewest issues), so a failure is explainable. */
function closest(results: ValidationIssue[][], path: string, key: string): ValidationIssue[] {
  const best = [...results].sort((a, b) => a.length - b.length)[0] ?? [];
  return [{ path, message: `matches no ${key} alternative; nearest fails with: ${best.map((i) => `${i.path} ${i.message}`).join('; ')}` }];
}

function isType(v: unknown, t: string): boolean {
  switch (t) {
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    default:
      return true;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && !Number.isInteger(v)) return `number ${v}`;
  return typeof v === 'string' ? `string ${JSON.stringify(v.slice(0, 40))}` : typeof v;
}
