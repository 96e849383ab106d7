import { readFileSync } from 'node:fs';

/**
 * A small validator for botocore service models (the `shapes` of e.g. braket/service-2.json): checks
 * a request or response body against a shape — required members, member types, string lengths and
 * enums, number minimums, lists, maps, nested structures, ISO timestamps, and that `jsonvalue` members
 * are strings holding JSON. Unknown members are errors too, so a typo in a field name cannot pass.
 */
interface Shape {
  type: string;
  required?: string[];
  members?: Record<string, { shape: string; jsonvalue?: boolean; location?: string; locationName?: string }>;
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  enum?: string[];
  union?: boolean;
}

export interface ServiceModel {
  metadata: Record<string, unknown>;
  operations: Record<
    string,
    {
      http: { method: string; requestUri: string; responseCode?: number };
      input?: { shape: string };
      output?: { shape: string };
      errors?: { shape: string }[];
    }
  >;
  shapes: Record<string, Shape>;
}

export function loadServiceModel(path: string): ServiceModel {
  return JSON.parse(readFileSync(path, 'utf8')) as ServiceModel;
}

/** Problems with `value` as `shapeName` (empty when it conforms). Members bound to the URI or query are skipped for bodies. */
export function validateShape(model: ServiceModel, shapeName: string, value: unknown, path = '$', body = true): string[] {
  const shape = model.shapes[shapeName];
  if (!shape) return [`${path}: unknown shape ${shapeName}`];
  const errs: string[] = [];
  const type = shape.type;
  switch (type) {
    case 'structure': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object (${shapeName})`];
      const o = value as Record<string, unknown>;
      const members = shape.members ?? {};
      const inBody = (m: string) => !body || !members[m]?.location;
      for (const r of shape.required ?? []) if (inBody(r) && o[r] === undefined) errs.push(`${path}.${r}: required by ${shapeName}`);
      for (const [k, v] of Object.entries(o)) {
        const m = members[k];
        if (!m) {
          errs.push(`${path}.${k}: not a member of ${shapeName}`);
          continue;
        }
        if (v === undefined) continue;
        if (m.jsonvalue) {
          if (typeof v !== 'string') errs.push(`${path}.${k}: a jsonvalue member must be a string holding JSON`);
          else {
            try {
              JSON.parse(v);
            } catch {
              errs.push(`${path}.${k}: not valid JSON text`);
            }
          }
        }
        errs.push(...validateShape(model, m.shape, v, `${path}.${k}`, body));
      }
      if (shape.union && Object.keys(o).length !== 1) errs.push(`${path}: a union holds exactly one member`);
      return errs;
    }
    case 'list':
      if (!Array.isArray(value)) return [`${path}: expected a list (${shapeName})`];
      if (shape.min !== undefined && value.length < shape.min) errs.push(`${path}: at least ${shape.min} items`);
      if (shape.max !== undefined && value.length > shape.max) errs.push(`${path}: at most ${shape.max} items`);
      value.forEach((x, i) => errs.push(...validateShape(model, shape.member!.shape, x, `${path}[${i}]`, body)));
      return errs;
    case 'map':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected a map (${shapeName})`];
      for (const [k, v] of Object.entries(value)) {
        errs.push(...validateShape(model, shape.key!.shape, k, `${path}{key}`, body));
        errs.push(...validateShape(model, shape.value!.shape, v, `${path}.${k}`, body));
      }
      return errs;
    case 'string':
      if (typeof value !== 'string') return [`${path}: expected a string (${shapeName})`];
      if (shape.min !== undefined && value.length < shape.min) errs.push(`${path}: shorter than ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) errs.push(`${path}: longer than ${shape.max}`);
      if (shape.enum && !shape.enum.includes(value)) errs.push(`${path}: '${value}' is not one of ${shape.enum.join('|')}`);
      return errs;
    case 'long':
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return [`${path}: expected an integer (${shapeName})`];
      if (shape.min !== undefined && value < shape.min) errs.push(`${path}: below ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) errs.push(`${path}: above ${shape.max}`);
      return errs;
    case 'double':
    case 'float':
      return typeof value === 'number' ? [] : [`${path}: expected a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean`];
    case 'timestamp':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? [] : [`${path}: expected an ISO 8601 timestamp`];
    default:
      return [`${path}: shape type ${type} not handled by the validator`];
  }
}

/** The operation's method, URI template as a RegExp (labels match one encoded segment), and success status. */
export function operationRoute(model: ServiceModel, name: string): { method: string; uri: RegExp; status: number } {
  const op = model.operations[name];
  if (!op) throw new Error(`no operation ${name}`);
  const [path] = op.http.requestUri.split('?');
  const re = path
    .split('/')
    .map((seg) => (/^\{[^}]+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return { method: op.http.method, uri: new RegExp(`^${re}(\\?.*)?$`), status: op.http.responseCode ?? 200 };
}

/** The error shapes an operation declares, with their HTTP statuses. */
export function operationErrors(model: ServiceModel, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of model.operations[name]?.errors ?? []) {
    const s = model.shapes[e.shape] as Shape & { error?: { httpStatusCode?: number } };
    out[e.shape] = s.error?.httpStatusCode ?? 0;
  }
  return out;
}
