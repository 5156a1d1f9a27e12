// Builds a value that satisfies a JSON Schema, standing in for Ollama's grammar-constrained
// decoding of `format`. It covers what zod's toJSONSchema and hand-written ballot schemas use:
// object/properties/required, array/items/prefixItems/minItems/maxItems, string/enum/const/
// minLength/maxLength/format, integer/number with (exclusive) bounds and multipleOf, boolean,
// null, type lists, anyOf/oneOf (first non-null branch), allOf (merged) and local $ref.
// `pattern` is not honoured (only the formats below are).

type Schema = Record<string, unknown>;

// Deep enough for any real ballot; beyond it optional properties and optional array items are
// dropped, so recursive schemas (a tree of $refs) still end.
const OPTIONAL_DEPTH = 6;
const MAX_DEPTH = 64;

const FORMATTED_STRINGS: Record<string, string> = {
  "date-time": "2024-01-01T00:00:00Z",
  date: "2024-01-01",
  time: "00:00:00Z",
  email: "member@example.com",
  uri: "https://example.com/",
  url: "https://example.com/",
  uuid: "00000000-0000-4000-8000-000000000000",
  hostname: "example.com",
  ipv4: "127.0.0.1",
  ipv6: "::1",
};

/** A valid instance of `schema`. Items of an array differ where the schema allows (enum values in turn). */
export function jsonInstance(schema: unknown): unknown {
  return instanceOf(schema, { root: schema, depth: 0, index: 0 });
}

/** What `format: "json"` yields when no answer is scripted: a small valid JSON object. */
export function jsonModeObject(model: string): Record<string, unknown> {
  return { model, answer: "ok" };
}

interface Walk {
  root: unknown;
  depth: number;
  /** Position among siblings in an array, so repeated items can differ. */
  index: number;
}

function instanceOf(schema: unknown, walk: Walk): unknown {
  if (walk.depth > MAX_DEPTH) throw new Error("json-instance: schema recursion too deep");
  if (schema === true || schema === undefined) return {};
  if (!isObject(schema)) throw new Error(`json-instance: not a schema: ${JSON.stringify(schema)}`);

  if (typeof schema.$ref === "string") return instanceOf(resolveRef(schema.$ref, walk.root), deeper(walk));
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[walk.index % schema.enum.length];

  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches) && branches.length > 0) {
    // zod's .nullable() puts {type:"null"} second; skipping null branches anyway keeps answers informative.
    const branch = branches.find((b) => !(isObject(b) && b.type === "null")) ?? branches[0];
    return instanceOf(branch, walk);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return instanceOf(mergeAll(schema.allOf, walk.root), walk);

  switch (typeOf(schema)) {
    case "object":
      return objectInstance(schema, walk);
    case "array":
      return arrayInstance(schema, walk);
    case "string":
      return stringInstance(schema, walk.index);
    case "integer":
      return numberInstance(schema, walk.index, true);
    case "number":
      return numberInstance(schema, walk.index, false);
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return {};
  }
}

function typeOf(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === "string") return type;
  if (Array.isArray(type)) return (type.find((t) => t !== "null") ?? type[0]) as string | undefined;
  if (isObject(schema.properties)) return "object";
  if (schema.items !== undefined || schema.prefixItems !== undefined) return "array";
  return undefined;
}

function objectInstance(schema: Schema, walk: Walk): Record<string, unknown> {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const out: Record<string, unknown> = {};
  for (const [key, propertySchema] of Object.entries(properties)) {
    if (!required.has(key) && walk.depth >= OPTIONAL_DEPTH) continue;
    out[key] = instanceOf(propertySchema, { ...deeper(walk), index: 0 });
  }
  // A required key with no schema of its own accepts anything.
  for (const key of required) if (!(key in out)) out[key] = "value";
  return out;
}

function arrayInstance(schema: Schema, walk: Walk): unknown[] {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const minItems = typeof schema.minItems === "number" ? schema.minItems : 0;
  const maxItems = typeof schema.maxItems === "number" ? schema.maxItems : Number.POSITIVE_INFINITY;
  const wanted = walk.depth >= OPTIONAL_DEPTH ? minItems : Math.max(minItems, prefix.length, 1);
  const length = Math.min(wanted, maxItems, schema.items === false ? prefix.length : Number.POSITIVE_INFINITY);
  const out: unknown[] = [];
  for (let i = 0; i < length; i++) {
    const itemSchema = i < prefix.length ? prefix[i] : schema.items;
    out.push(instanceOf(itemSchema, { ...deeper(walk), index: i }));
  }
  return out;
}

function stringInstance(schema: Schema, index: number): string {
  const format = typeof schema.format === "string" ? FORMATTED_STRINGS[schema.format] : undefined;
  let text = format ?? (index === 0 ? "text" : `text ${index + 1}`);
  const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : Number.POSITIVE_INFINITY;
  // Length counts code points, as JSON Schema does; the text is ASCII, so .length is fine.
  if (text.length < minLength) text = text.padEnd(minLength, "x");
  if (text.length > maxLength) text = text.slice(0, maxLength);
  return text;
}

function numberInstance(schema: Schema, index: number, integer: boolean): number {
  const minimum = numeric(schema.minimum);
  const maximum = numeric(schema.maximum);
  // Draft 2020-12 uses numbers; draft 4 used booleans that make minimum/maximum exclusive.
  const exclusiveMin = schema.exclusiveMinimum === true ? minimum : numeric(schema.exclusiveMinimum);
  const exclusiveMax = schema.exclusiveMaximum === true ? maximum : numeric(schema.exclusiveMaximum);

  let low = minimum ?? Number.NEGATIVE_INFINITY;
  let high = maximum ?? Number.POSITIVE_INFINITY;
  if (integer) {
    if (exclusiveMin !== undefined) low = Math.max(low, Math.floor(exclusiveMin) + 1);
    if (exclusiveMax !== undefined) high = Math.min(high, Math.ceil(exclusiveMax) - 1);
    low = Math.ceil(low);
    high = Math.floor(high);
  }
  // For numbers an exclusive bound is an open end; integers turned it into a closed one above.
  const openLow = integer ? Number.NEGATIVE_INFINITY : (exclusiveMin ?? Number.NEGATIVE_INFINITY);
  const openHigh = integer ? Number.POSITIVE_INFINITY : (exclusiveMax ?? Number.POSITIVE_INFINITY);
  const lower = Math.max(low, openLow);
  const upper = Math.min(high, openHigh);
  const fits = (v: number) => v >= low && v <= high && v > openLow && v < openHigh;
  const inside = Number.isFinite(lower) && Number.isFinite(upper) ? (lower + upper) / 2 : Number.isFinite(lower) ? lower + 1 : upper - 1;

  let value = (Number.isFinite(lower) ? lower : Number.isFinite(upper) ? Math.min(0, upper) : 0) + index * (integer ? 1 : 0.5);
  if (!fits(value)) value = Math.min(Math.max(value, low), high);
  if (!fits(value)) value = integer ? Math.ceil(inside) : inside;
  const multipleOf = numeric(schema.multipleOf);
  if (multipleOf !== undefined && multipleOf > 0) {
    value = Math.ceil(value / multipleOf) * multipleOf;
    if (!fits(value)) value = Math.floor(upper / multipleOf) * multipleOf;
  }
  return value;
}

function numeric(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function mergeAll(schemas: unknown[], root: unknown): Schema {
  const merged: Schema = {};
  const properties: Schema = {};
  const required: string[] = [];
  for (const part of schemas) {
    const schema = isObject(part) && typeof part.$ref === "string" ? resolveRef(part.$ref, root) : part;
    if (!isObject(schema)) continue;
    Object.assign(merged, schema);
    if (isObject(schema.properties)) Object.assign(properties, schema.properties);
    if (Array.isArray(schema.required)) required.push(...(schema.required as string[]));
  }
  if (Object.keys(properties).length > 0) {
    merged.properties = properties;
    merged.required = required;
  }
  delete merged.allOf;
  return merged;
}

function resolveRef(ref: string, root: unknown): unknown {
  if (!ref.startsWith("#")) throw new Error(`json-instance: only local $ref is supported, got ${ref}`);
  let node: unknown = root;
  for (const raw of ref.slice(1).split("/").filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObject(node) || !(key in node)) throw new Error(`json-instance: unresolved $ref ${ref}`);
    node = node[key];
  }
  return node;
}

function deeper(walk: Walk): Walk {
  return { ...walk, depth: walk.depth + 1 };
}

function isObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
